package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.ModelJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;

/** What the stream, polling and metrics share: the HTTP client, the server, the token, the timings. */
public final class FeedHttp {

    private final HttpClient client;
    private final URI baseUri;
    private final String token;
    private final FeedTimings timings;

    /** {@code client} is owned by the caller (it stays usable after sources close). */
    public FeedHttp(HttpClient client, URI baseUri, String token, FeedTimings timings) {
        this.client = Objects.requireNonNull(client, "client");
        String base = baseUri.toString();
        this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
        this.token = Objects.requireNonNull(token, "token");
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    HttpClient client() {
        return client;
    }

    FeedTimings timings() {
        return timings;
    }

    /** A request to {@code path} (relative, e.g. {@code sdk/v1/flags}) with the token. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(timings.requestTimeout())
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", "darklaunch-java-sdk");
    }

    static boolean unauthorized(int status) {
        return status == 401 || status == 403;
    }

    /** Whether a Content-Type header names {@code mediaType} (case-insensitive, parameters such as charset aside). */
    static boolean isMediaType(String contentType, String mediaType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase(mediaType);
    }

    /**
     * Why an answer to {@code /sdk/v1/flags} cannot be flag data judging by its Content-Type, or
     * null when it says JSON: a proxy's or a portal's page is a failure, never read as data.
     */
    static String notJson(HttpResponse<?> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (isMediaType(type, "application/json")) {
            return null;
        }
        return "the server answered HTTP " + response.statusCode() + " with "
                + (type.isEmpty() ? "no Content-Type" : "Content-Type " + type) + ", not JSON flag data (a proxy or a wrong base URI?)";
    }

    /**
     * Environment data as the feed sends it (a snapshot event, a {@code /sdk/v1/flags} body).
     *
     * @throws IOException if it is not JSON of that shape
     */
    static EnvironmentData parseData(String json) throws IOException {
        JsonNode tree = ModelJson.feedMapper().readTree(json);
        if (tree == null || !tree.isObject() || !tree.path("revision").isIntegralNumber() || !tree.path("flags").isArray()) {
            throw new IOException("not environment data: needs an integer revision and a flags array");
        }
        return ModelJson.feedMapper().treeToValue(tree, EnvironmentData.class);
    }

    /** A patch event's data; throws if it is not a well-formed patch. */
    static EnvironmentPatch parsePatch(String json) throws IOException {
        try {
            return ModelJson.feedMapper().readValue(json, EnvironmentPatch.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
