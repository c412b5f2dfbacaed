package dev.darklaunch.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small blocking HTTP client for tests, speaking JSON to a real server. */
public final class Http {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String base;
    private final String token;
    private final Map<String, String> headers;

    public Http(String base, String token) {
        this(base, token, Map.of());
    }

    private Http(String base, String token, Map<String, String> headers) {
        this.base = base;
        this.token = token;
        this.headers = headers;
    }

    /** The same client with another token (null for none). */
    public Http as(String otherToken) {
        return new Http(base, otherToken, headers);
    }

    /** The same client sending an extra header on every request. */
    public Http with(String header, String value) {
        java.util.HashMap<String, String> more = new java.util.HashMap<>(headers);
        more.put(header, value);
        return new Http(base, token, Map.copyOf(more));
    }

    /** A response: status, headers, and the body as text and (when JSON) as a tree. */
    public record Response(int status, Map<String, List<String>> headers, String text) {
        public JsonNode json() {
            try {
                return text.isEmpty() ? MissingNode.getInstance() : MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, Object json) {
        return send("POST", path, json, "application/json");
    }

    public Response put(String path, Object json) {
        return send("PUT", path, json, "application/json");
    }

    public Response send(String method, String path, Object body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(Object body) {
        if (body instanceof byte[] raw) {
            return raw;
        }
        if (body instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The number of events in the whole audit log, paging through it (needs an admin token). */
    public int auditEvents() {
        int count = 0;
        String cursor = null;
        do {
            Response page = get("/api/v1/audit?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            if (page.status() != 200) {
                throw new AssertionError("audit page: " + page);
            }
            count += page.json().get("items").size();
            cursor = page.json().path("next").asText(null);
        } while (cursor != null);
        return count;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
