package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.RawHttp;
import dev.darklaunch.server.testing.SseStream;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 16/17: every route × every credential gives the expected 401/403/2xx, denied calls
 * reveal and change nothing, and no path trick gets past authentication.
 */
@DarklaunchServerTest(adminPassword = true)
class AuthorizationIT {

    /**
     * Who may call a route. ME: any API caller; USER: signed-in users only (tokens have no
     * password); SESSION: any API caller (a token gets 404, it has no session); TOGGLE also
     * covers recording and releasing deployments in an environment. OFREP: SDK and client tokens
     * (a client token evaluates only flags marked clientSide; the others answer 404, like missing ones).
     */
    enum Access { ADMIN, READ, EDIT, TOGGLE, LIST, SDK, ME, USER, SESSION, OFREP }

    record Route(String method, String path, Access access, Object body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final String P = "/api/v1/projects/default";
    private static final Map<String, Object> FLAG = Map.of("key", "gated", "name", "Gated", "kind", "boolean",
            "variations", List.of(Map.of("value", true), Map.of("value", false)));
    private static final Map<String, Object> CONFIG = Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0));
    private static final Map<String, Object> SEGMENT = Map.of("key", "staff", "name", "Staff");

    @Given
    private static TestServer server;
    @Given
    private static Http admin;
    private static final Map<String, String> credentials = new java.util.LinkedHashMap<>();
    /** Signed-in users by credential name: the headers a browser sends. */
    private static final Map<String, Map<String, String>> sessions = new java.util.LinkedHashMap<>();
    private static final String PASSWORD = "authorization test password";
    private static long revokedId;

    @BeforeAll
    static void start() {
        assertThat(admin.post(P + "/flags", FLAG).status()).isEqualTo(201);
        assertThat(admin.post(P + "/segments", SEGMENT).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/projects", Map.of("key", "other", "name", "Other")).status()).isEqualTo(201);
        assertThat(admin.post(P + "/deployments", Map.of("service", "checkout", "version", "1.0.0", "environment", "production",
                "flags", List.of("shipped"))).status()).isEqualTo(201);
        assertThat(admin.post(P + "/webhooks", Map.of("name", "ops", "url", "https://hooks.example.com/darklaunch")).status())
                .isEqualTo(201);
        credentials.put("sdk", server.token("sdk", "default", "production"));
        credentials.put("client", clientToken("default"));
        credentials.put("client-other-project", clientToken("other"));
        credentials.put("pipeline-staging", server.token("pipeline", "default", "staging"));
        credentials.put("pipeline-production", server.token("pipeline", "default", "production"));
        credentials.put("pipeline-other-project", server.token("pipeline", "other", "production"));
        JsonNode revoked = new Fixtures(admin).token(Map.of("name", "soon revoked", "kind", "admin"));
        revokedId = revoked.at("/token/id").asLong();
        assertThat(admin.delete("/api/v1/tokens/" + revokedId).status()).isEqualTo(200);
        credentials.put("revoked", revoked.get("secret").asText());
        server.user("viewer@example.com", PASSWORD, "viewer");
        server.user("editor@example.com", PASSWORD, "editor");
        sessions.put("viewer", browser(server.signIn("viewer@example.com", PASSWORD), true));
        sessions.put("editor", browser(server.signIn("editor@example.com", PASSWORD), true));
        sessions.put("session-without-csrf", browser(server.signIn("admin", TestServer.ADMIN_PASSWORD), false));
        TestServer.SignedIn ended = server.signIn("editor@example.com", PASSWORD);
        assertThat(ended.http().delete("/api/v1/session").status()).isEqualTo(204);
        sessions.put("session-ended", browser(ended, true));
        sessions.put("admin-user", browser(server.signIn("admin", TestServer.ADMIN_PASSWORD), true));
    }

    private static String clientToken(String project) {
        Http.Response created = admin.post("/api/v1/tokens", Map.of("name", "web " + project, "kind", "client",
                "project", project, "environments", List.of("production"), "origins", List.of("https://shop.example.com")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("secret").asText();
    }

    private static Map<String, String> browser(TestServer.SignedIn signedIn, boolean csrf) {
        return csrf ? Map.of("Cookie", "darklaunch_session=" + signedIn.secret(), "X-CSRF-Token", signedIn.csrfToken())
                : Map.of("Cookie", "darklaunch_session=" + signedIn.secret());
    }

    static List<Route> routes() {
        String flag = P + "/flags/gated";
        String config = flag + "/environments/production";
        String segment = P + "/segments/staff";
        return List.of(
                new Route("GET", "/api/v1/projects", Access.LIST, null),
                new Route("POST", "/api/v1/projects", Access.ADMIN, Map.of("key", "p2", "name", "P2")),
                new Route("GET", P, Access.READ, null),
                new Route("PUT", P, Access.EDIT, Map.of("name", "Default")),
                new Route("GET", P + "/environments", Access.READ, null),
                new Route("POST", P + "/environments", Access.EDIT, Map.of("key", "qa", "name", "QA")),
                new Route("GET", P + "/environments/production", Access.READ, null),
                new Route("PUT", P + "/environments/production", Access.EDIT, Map.of("name", "Production", "production", true)),
                new Route("GET", P + "/flags", Access.READ, null),
                new Route("POST", P + "/flags", Access.EDIT, Map.of("key", "another", "name", "Another", "kind", "boolean",
                        "variations", List.of(Map.of("value", true), Map.of("value", false)))),
                new Route("GET", flag, Access.READ, null),
                new Route("PUT", flag, Access.EDIT, FLAG),
                new Route("GET", config, Access.READ, null),
                new Route("PUT", config, Access.EDIT, CONFIG),
                new Route("POST", config + "/on", Access.TOGGLE, null),
                new Route("POST", config + "/off", Access.TOGGLE, null),
                new Route("GET", P + "/segments", Access.READ, null),
                new Route("POST", P + "/segments", Access.EDIT, Map.of("key", "beta", "name", "Beta")),
                new Route("GET", segment, Access.READ, null),
                new Route("PUT", segment, Access.EDIT, SEGMENT),
                new Route("GET", segment + "/environments/production", Access.READ, null),
                new Route("PUT", segment + "/environments/production", Access.EDIT, Map.of("included", List.of("u1"))),
                new Route("POST", P + "/import/unleash?environment=production", Access.EDIT, Map.of("features", List.of())),
                new Route("GET", P + "/export", Access.READ, null),
                new Route("POST", P + "/apply?dryRun=true", Access.EDIT, Map.of("flags", List.of())),
                new Route("GET", P + "/audit", Access.READ, null),
                new Route("POST", P + "/environments/production/evaluate", Access.READ, Map.of("context", Map.of("key", "u"))),
                new Route("GET", P + "/deployments", Access.READ, null),
                new Route("POST", P + "/deployments", Access.TOGGLE, Map.of("service", "checkout", "version", "1.0.1",
                        "environment", "production", "flags", List.of("shipped"))),
                new Route("GET", P + "/deployments/1", Access.READ, null),
                new Route("PATCH", P + "/deployments/1", Access.TOGGLE, Map.of("status", "succeeded")),
                new Route("POST", P + "/deployments/1/release", Access.TOGGLE, Map.of("steps", List.of(Map.of("percentage", 5)))),
                new Route("POST", P + "/deployments/1/release/pause", Access.TOGGLE, null),
                new Route("POST", P + "/deployments/1/release/resume", Access.TOGGLE, null),
                new Route("POST", P + "/deployments/1/signals", Access.TOGGLE,
                        Map.of("status", "resolved", "labels", Map.of("alertname", "Probe"))),
                new Route("POST", P + "/environments/production/alerts", Access.TOGGLE, Map.of("alerts", List.of())),
                new Route("GET", P + "/environments/production/timeline", Access.READ, null),
                new Route("GET", P + "/environments/production/tracked-events", Access.READ, null),
                new Route("GET", "/api/v1/audit", Access.ADMIN, null),
                new Route("GET", "/api/v1/tokens", Access.ADMIN, null),
                new Route("POST", "/api/v1/tokens", Access.ADMIN, Map.of("name", "x", "kind", "admin")),
                new Route("GET", "/api/v1/tokens/1", Access.ADMIN, null),
                new Route("GET", "/api/v1/metrics", Access.ADMIN, null),
                new Route("GET", P + "/events", Access.READ, null),
                new Route("GET", P + "/webhooks", Access.EDIT, null),
                new Route("POST", P + "/webhooks", Access.EDIT, Map.of("name", "x", "url", "https://hooks.example.com/x")),
                new Route("GET", P + "/webhooks/1", Access.EDIT, null),
                new Route("PATCH", P + "/webhooks/1", Access.EDIT, Map.of("name", "renamed")),
                new Route("POST", P + "/webhooks/1/secret", Access.EDIT, null),
                new Route("GET", P + "/webhooks/1/deliveries", Access.EDIT, null),
                new Route("POST", P + "/webhooks/1/deliveries/1/redeliver", Access.EDIT, null),
                new Route("GET", "/api/v1/me", Access.ME, null),
                new Route("PATCH", "/api/v1/me", Access.USER, Map.of("currentPassword", "not the password", "password", "x".repeat(12))),
                new Route("GET", "/api/v1/session", Access.SESSION, null),
                new Route("GET", "/api/v1/users", Access.ADMIN, null),
                new Route("POST", "/api/v1/users", Access.ADMIN, Map.of("email", "new@example.com", "password", PASSWORD, "role", "viewer")),
                new Route("GET", "/api/v1/users/1", Access.ADMIN, null),
                new Route("PATCH", "/api/v1/users/" + Long.MAX_VALUE, Access.ADMIN, Map.of("role", "viewer")),
                new Route("GET", "/sdk/v1/flags", Access.SDK, null),
                new Route("GET", "/sdk/v1/stream", Access.SDK, null),
                new Route("POST", "/sdk/v1/metrics", Access.SDK, Map.of("flags", Map.of("gated", Map.of("0", 1)))),
                new Route("POST", "/ofrep/v1/evaluate/flags/gated", Access.OFREP, Map.of("context", Map.of("targetingKey", "u"))),
                new Route("POST", "/ofrep/v1/evaluate/flags", Access.OFREP, Map.of("context", Map.of("targetingKey", "u"))),
                new Route("GET", "/ofrep/v1/events", Access.OFREP, null),
                // destructive routes last, so the matrix above runs against intact data
                new Route("POST", P + "/deployments/1/rollback", Access.TOGGLE, null),
                new Route("DELETE", segment, Access.EDIT, null),
                new Route("DELETE", P + "/webhooks/" + Long.MAX_VALUE, Access.EDIT, null),
                new Route("DELETE", flag, Access.EDIT, null),
                new Route("DELETE", "/api/v1/tokens/" + Long.MAX_VALUE, Access.ADMIN, null),
                new Route("DELETE", "/api/v1/users/" + Long.MAX_VALUE, Access.ADMIN, null),
                // signs the sessions out: last of all
                new Route("DELETE", "/api/v1/session", Access.SESSION, null));
    }

    /** The status a credential must get on a route, or 0 for "allowed" (any non-401/403). */
    static int expected(String credential, Route route) {
        Access access = route.access();
        boolean safe = route.method().equals("GET") || route.method().equals("HEAD");
        switch (credential) {
            case "session-ended":
                return 401;
            case "session-without-csrf":
                // the admin user's cookie alone: reads as the admin user, every change refused
                return safe ? expected("admin-user", route) : 403;
            case "viewer":
                return switch (access) {
                    case READ, LIST, ME, USER, SESSION -> 0;
                    default -> 403;
                };
            case "editor":
                return switch (access) {
                    case READ, LIST, EDIT, TOGGLE, ME, USER, SESSION -> 0;
                    default -> 403;
                };
            case "admin-user":
                return access == Access.SDK || access == Access.OFREP ? 403 : 0;
            default:
                break;
        }
        if (access == Access.ME || access == Access.SESSION || access == Access.USER) {
            return switch (credential) {
                case "none", "malformed", "wrong", "revoked" -> 401;
                case "sdk", "client", "client-other-project" -> 403;
                default -> access == Access.USER ? 403 : 0;
            };
        }
        if (access == Access.OFREP) {
            // evaluation for SDK tokens and client tokens, each in its own environment
            return switch (credential) {
                case "none", "malformed", "wrong", "revoked" -> 401;
                case "sdk", "client", "client-other-project" -> 0;
                default -> 403;
            };
        }
        if (access == Access.SDK) {
            // the feed is for SDK tokens only; each reads its own environment
            return switch (credential) {
                case "none", "malformed", "wrong", "revoked" -> 401;
                case "sdk" -> 0;
                default -> 403;
            };
        }
        return switch (credential) {
            case "none", "malformed", "wrong", "revoked" -> 401;
            case "sdk", "client", "client-other-project" -> 403;
            case "pipeline-other-project" -> access == Access.LIST ? 0 : 403;
            case "pipeline-staging" -> access == Access.READ || access == Access.LIST ? 0 : 403;
            case "pipeline-production" -> access == Access.READ || access == Access.LIST || access == Access.TOGGLE ? 0 : 403;
            case "admin" -> 0;
            default -> throw new IllegalArgumentException(credential);
        };
    }

    @TestFactory
    Stream<DynamicTest> every_route_and_credential_gets_the_expected_status_and_denials_write_nothing() {
        List<String> all = new ArrayList<>(List.of("none", "malformed", "wrong"));
        all.addAll(credentials.keySet());
        all.add("admin");
        all.addAll(sessions.keySet());
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : routes()) {
            for (String credential : all) {
                tests.add(DynamicTest.dynamicTest(credential + " → " + route, () -> check(route, credential)));
            }
        }
        return tests.stream();
    }

    private void check(Route route, String credential) {
        Map<String, String> headers = switch (credential) {
            case "none" -> Map.of();
            case "malformed" -> Map.of("Authorization", "Basic YWRtaW46YWRtaW4=");
            case "wrong" -> Map.of("Authorization", "Bearer dl_admin_" + "x".repeat(43));
            case "admin" -> Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
            default -> sessions.containsKey(credential) ? sessions.get(credential)
                    : Map.of("Authorization", "Bearer " + credentials.get(credential));
        };
        Http client = admin.as(null);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            client = client.with(header.getKey(), header.getValue());
        }
        int auditBefore = auditCount();
        int expected = expected(credential, route);
        if (route.path().equals("/sdk/v1/stream") && expected == 0) {
            try (SseStream stream = SseStream.open(server.base(), credentials.get(credential), null)) {
                assertThat(stream.status()).isEqualTo(200);
            }
            return;
        }
        if (route.path().endsWith("/events") && expected == 0) {
            try (SseStream stream = SseStream.open(server.base() + route.path(), headers)) {
                assertThat(stream.status()).isEqualTo(200);
            }
            return;
        }
        Http.Response response = client.send(route.method(), route.path(), route.body(),
                route.body() == null ? null : "application/json");
        if (expected == 0) {
            assertThat(response.status()).as(response.toString()).isNotIn(401, 403).isLessThan(500);
            return;
        }
        assertThat(response.status()).as(response.toString()).isEqualTo(expected);
        JsonNode body = response.json();
        assertThat(body.get("error").asText()).isEqualTo(expected == 401 ? "unauthorized" : "forbidden");
        assertThat(body.has("items")).isFalse();
        assertThat(response.text()).doesNotContain("\"secret\"", "Gated");
        if (expected == 401) {
            assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(auditCount()).as("a denied request wrote nothing").isEqualTo(auditBefore);
    }

    @Test
    void a_client_token_evaluates_nothing_of_another_project_and_no_flag_that_is_not_client_side() {
        assertThat(admin.post(P + "/flags", Map.of("key", "server-only", "name", "Server only", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)))).status()).isEqualTo(201);
        Map<String, Object> context = Map.of("context", Map.of("targetingKey", "u"));
        for (String credential : List.of("client", "client-other-project")) {
            Http client = admin.as(credentials.get(credential));
            // a project created a moment ago: its environments reach this server's memory shortly after
            dev.darklaunch.server.testing.Await.until(java.time.Duration.ofSeconds(10), credential + "'s environment is loaded",
                    () -> client.post("/ofrep/v1/evaluate/flags", context).status() != 503);
            Http.Response single = client.post("/ofrep/v1/evaluate/flags/server-only", context);
            assertThat(single.status()).as(credential).isEqualTo(404);
            assertThat(single.json().get("errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");
            assertThat(client.post("/ofrep/v1/evaluate/flags", context).json().get("flags")).as(credential).isEmpty();
        }
        // the SDK token of the environment evaluates it
        dev.darklaunch.server.testing.Await.until(java.time.Duration.ofSeconds(10), "the SDK token evaluates it",
                () -> admin.as(credentials.get("sdk")).post("/ofrep/v1/evaluate/flags/server-only", context).status() == 200);
    }

    @Test
    void a_denied_user_is_told_what_their_role_allows() {
        Http viewer = admin.as(null);
        for (Map.Entry<String, String> header : sessions.get("viewer").entrySet()) {
            viewer = viewer.with(header.getKey(), header.getValue());
        }
        Http.Response response = viewer.post(P + "/flags/gated/environments/production/on", null);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("message").asText()).contains("viewer@example.com", "role viewer", "changes nothing");
    }

    @Test
    void a_pipeline_token_lists_only_its_own_project() {
        JsonNode items = admin.as(credentials.get("pipeline-other-project")).get("/api/v1/projects").json().get("items");
        assertThat(items).extracting(item -> item.get("key").asText()).containsExactly("other");
    }

    @Test
    void a_revoked_token_is_refused_with_a_clear_message() {
        Http.Response response = admin.as(credentials.get("revoked")).get("/api/v1/projects");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("message").asText()).contains("revoked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//api/v1/projects", "/api/./v1/projects", "/api/v1/../v1/projects", "/api/v1/projects/",
            "/api%2Fv1%2Fprojects", "/api/v1/%2e%2e/v1/projects", "/%61pi/v1/projects", "/health/../api/v1/projects",
            "/health/live/../../api/v1/tokens", "/api/v1/projects;x=y", "/API/v1/projects", "/api/v1//projects",
            "/metrics/../api/v1/tokens", "/api/v1/openapi.yaml/../tokens", "/api/v1/openapi.yaml/..%2ftokens",
            "/./api/v1/audit", "/api/v1/projects/default/../default/flags", "/api/v1/projects%2fdefault/flags",
            "/api/v1/projects/%64efault/flags", "/api/v1/projects/default/flags?limit=1#x"})
    void path_tricks_never_bypass_authentication(String path) {
        RawHttp.Response anonymous = RawHttp.get(server.port(), path, null);
        assertThat(anonymous.status()).as(anonymous.text()).isIn(400, 401, 404);
        assertThat(anonymous.text()).doesNotContain("\"items\"", "\"secret\"", "Gated");

        RawHttp.Response sdk = RawHttp.get(server.port(), path, credentials.get("sdk"));
        assertThat(sdk.status()).as(sdk.text()).isIn(400, 403, 404);
        assertThat(sdk.text()).doesNotContain("\"items\"", "\"secret\"", "Gated");
    }

    @Test
    void public_routes_need_no_token_and_reveal_no_data() {
        for (String path : List.of("/health/live", "/health/ready", "/metrics", "/api/v1/openapi.yaml")) {
            Http.Response response = admin.as(null).get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.text()).doesNotContain("Gated", TestServer.ADMIN_TOKEN);
        }
    }

    private static int auditCount() {
        return admin.auditEvents();
    }
}
