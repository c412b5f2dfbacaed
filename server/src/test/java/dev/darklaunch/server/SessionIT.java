package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.auth.SessionSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import dev.darklaunch.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to the admin UI (RELIABILITY 16, 21): the session cookie and its flags, one answer for
 * a wrong email or password, the sign-in guard, CSRF and Origin checks on cookie-authenticated
 * changes (refused changes write nothing), signing out everywhere at once, and the first admin
 * bootstrapped from DARKLAUNCH_ADMIN_PASSWORD.
 */
@DarklaunchServerTest(adminPassword = true)
class SessionIT {

    private static final Map<String, Object> PROJECT = Map.of("key", "ui", "name", "UI");
    @Given
    private static String databaseUrl;
    @Given
    private static TestServer server;
    @Given
    private static Http admin;

    @Test
    void the_bootstrapped_admin_signs_in_with_DARKLAUNCH_ADMIN_PASSWORD_and_gets_a_strict_http_only_cookie() {
        SignedIn signedIn = server.signIn("admin", TestServer.ADMIN_PASSWORD);

        JsonNode body = signedIn.response().json();
        assertThat(body.at("/user/email").asText()).isEqualTo("admin");
        assertThat(body.at("/user/role").asText()).isEqualTo("admin");
        assertThat(body.at("/user/id").asLong()).isPositive();
        assertThat(body.get("csrfToken").asText()).hasSizeGreaterThanOrEqualTo(43);
        OffsetDateTime expires = OffsetDateTime.parse(body.get("expiresAt").asText());
        assertThat(expires).isBetween(OffsetDateTime.now().plusHours(11), OffsetDateTime.now().plusHours(13));
        String cookie = signedIn.response().header("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("darklaunch_session=").contains("; Path=/", "; HttpOnly", "; SameSite=Strict")
                .doesNotContain("Secure", "Max-Age", "Expires");
        assertThat(signedIn.secret()).hasSizeGreaterThanOrEqualTo(43); // 256 random bits, base64url
        assertThat(signedIn.response().header("Cache-Control")).hasValue("no-store");
    }

    @Test
    void the_cookie_is_secure_when_the_request_came_over_https() {
        Http.Response response = admin.as(null).with("X-Forwarded-Proto", "https")
                .post("/api/v1/session", Map.of("email", "ADMIN", "password", TestServer.ADMIN_PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Set-Cookie").orElseThrow()).contains("; Secure", "; HttpOnly", "; SameSite=Strict");
    }

    @Test
    void a_wrong_password_and_an_unknown_email_get_the_same_401() {
        Http anonymous = admin.as(null);
        Http.Response wrongPassword = anonymous.post("/api/v1/session", Map.of("email", "admin", "password", "not the password!"));
        Http.Response unknownEmail = anonymous.post("/api/v1/session", Map.of("email", "nobody@example.com", "password", "whatever it is"));

        for (Http.Response response : new Http.Response[]{wrongPassword, unknownEmail}) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.json()).isEqualTo(Http.mapper().createObjectNode()
                    .put("error", "unauthorized").put("message", "wrong email or password"));
            assertThat(response.header("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void sign_in_needs_an_email_and_a_password() {
        Http anonymous = admin.as(null);
        assertThat(anonymous.post("/api/v1/session", Map.of("email", "admin")).json().get("field").asText()).isEqualTo("password");
        assertThat(anonymous.post("/api/v1/session", Map.of("password", "x")).json().get("field").asText()).isEqualTo("email");
        assertThat(anonymous.post("/api/v1/session", Map.of("email", "a", "password", "b", "extra", 1)).status()).isEqualTo(400);
        assertThat(anonymous.send("POST", "/api/v1/session", null, null).status()).isEqualTo(400);
    }

    @Test
    void after_ten_failures_for_one_email_from_one_address_that_address_is_refused_for_it_with_429_and_retry_after() {
        String email = "Guarded@Example.com";
        Http anonymous = admin.as(null);
        for (int i = 0; i < 10; i++) {
            assertThat(anonymous.post("/api/v1/session", Map.of("email", email, "password", "guess number " + i)).status())
                    .isEqualTo(401);
        }
        Http.Response refused = anonymous.post("/api/v1/session", Map.of("email", email.toLowerCase(), "password", "guess number 11"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("error").asText()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 15 * 60L);
        // other emails from the same address are not affected
        assertThat(anonymous.post("/api/v1/session", Map.of("email", "admin", "password", TestServer.ADMIN_PASSWORD)).status())
                .isEqualTo(200);
    }

    @Test
    void a_reloaded_page_gets_its_session_and_csrf_token_back() {
        SignedIn signedIn = server.signIn("admin", TestServer.ADMIN_PASSWORD);
        Http.Response session = signedIn.withoutCsrf().get("/api/v1/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.json().get("csrfToken").asText()).isEqualTo(signedIn.csrfToken());
        assertThat(session.json().at("/user/email").asText()).isEqualTo("admin");

        JsonNode me = signedIn.withoutCsrf().get("/api/v1/me").json();
        assertThat(me.get("kind").asText()).isEqualTo("user");
        assertThat(me.get("email").asText()).isEqualTo("admin");
        assertThat(me.get("role").asText()).isEqualTo("admin");
        assertThat(me.has("tokenKind")).isFalse();
    }

    @Test
    void me_describes_a_token_too() {
        JsonNode me = admin.get("/api/v1/me").json();
        assertThat(me.get("kind").asText()).isEqualTo("token");
        assertThat(me.get("tokenKind").asText()).isEqualTo("admin");
        assertThat(me.has("email")).isFalse();
        String pipeline = server.token("pipeline", "default", "staging");
        JsonNode scoped = admin.as(pipeline).get("/api/v1/me").json();
        assertThat(scoped.get("project").asText()).isEqualTo("default");
        assertThat(scoped.get("environments")).extracting(JsonNode::asText).containsExactly("staging");
        assertThat(admin.get("/api/v1/session").status()).as("a token has no session").isEqualTo(404);
    }

    @Test
    void cookie_authenticated_changes_need_the_csrf_token_and_refused_ones_write_nothing() {
        SignedIn signedIn = server.signIn("admin", TestServer.ADMIN_PASSWORD);
        int audit = admin.auditEvents();

        Http.Response missing = signedIn.withoutCsrf().post("/api/v1/projects", PROJECT);
        Http.Response wrong = signedIn.withoutCsrf().with("X-CSRF-Token", signedIn.csrfToken() + "x").post("/api/v1/projects", PROJECT);
        Http.Response otherSessions = signedIn.withoutCsrf()
                .with("X-CSRF-Token", server.signIn("admin", TestServer.ADMIN_PASSWORD).csrfToken()).post("/api/v1/projects", PROJECT);
        for (Http.Response response : new Http.Response[]{missing, wrong, otherSessions}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(403);
            assertThat(response.json().get("error").asText()).isEqualTo("forbidden");
            assertThat(response.json().get("message").asText()).startsWith("missing or wrong CSRF token");
        }
        assertThat(signedIn.withoutCsrf().delete("/api/v1/session").status()).as("signing out needs it too").isEqualTo(403);
        assertThat(admin.auditEvents()).isEqualTo(audit);
        assertThat(admin.get("/api/v1/projects/ui").status()).isEqualTo(404);

        // reads need none, and a write with it works and is audited as the user
        assertThat(signedIn.withoutCsrf().get("/api/v1/projects").status()).isEqualTo(200);
        Http.Response created = signedIn.http().post("/api/v1/projects", PROJECT);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode event = admin.get("/api/v1/projects/ui/audit?limit=1").json().at("/items/0");
        assertThat(event.get("actor").asText()).isEqualTo("user:admin");
    }

    @Test
    void cookie_authenticated_changes_from_another_sites_page_are_refused() {
        SignedIn signedIn = server.signIn("admin", TestServer.ADMIN_PASSWORD);
        int audit = admin.auditEvents();
        for (String origin : new String[]{"https://evil.example", "http://localhost:1", "null", "http://localhost." }) {
            Http.Response response = signedIn.http().with("Origin", origin).post("/api/v1/projects", Map.of("key", "evil", "name", "Evil"));
            assertThat(response.status()).as(origin + ": " + response).isEqualTo(403);
            assertThat(response.json().get("message").asText()).contains("another site");
        }
        assertThat(admin.auditEvents()).isEqualTo(audit);
        // the server's own origin is fine
        Http.Response own = signedIn.http().with("Origin", server.base())
                .send("PUT", "/api/v1/projects/default", Map.of("name", "Default"), "application/json");
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        // a sign-in form posted from another site is refused as well
        Http.Response signIn = admin.as(null).with("Origin", "https://evil.example")
                .post("/api/v1/session", Map.of("email", "admin", "password", TestServer.ADMIN_PASSWORD));
        assertThat(signIn.status()).isEqualTo(403);
    }

    @Test
    void a_bearer_token_wins_over_a_cookie_and_needs_no_csrf_token() {
        SignedIn signedIn = server.signIn("admin", TestServer.ADMIN_PASSWORD);
        Http both = admin.with("Cookie", "darklaunch_session=" + signedIn.secret());
        assertThat(both.get("/api/v1/me").json().get("kind").asText()).isEqualTo("token");
        Http.Response write = both.send("PUT", "/api/v1/projects/default", Map.of("name", "Default"), "application/json");
        assertThat(write.status()).isEqualTo(200);
    }

    @Test
    void signing_out_ends_the_session_on_every_instance_at_once_and_clears_the_cookie() {
        try (TestServer other = TestServer.start(databaseUrl, TestServer::withAdminPassword)) {
            SignedIn signedIn = server.signIn("admin", TestServer.ADMIN_PASSWORD);
            Http onOther = new Http(other.base(), null).with("Cookie", "darklaunch_session=" + signedIn.secret());
            assertThat(onOther.get("/api/v1/me").status()).isEqualTo(200);

            Http.Response out = signedIn.http().delete("/api/v1/session");
            assertThat(out.status()).isEqualTo(204);
            assertThat(out.header("Set-Cookie").orElseThrow()).startsWith("darklaunch_session=;").contains("Max-Age=0");

            Http.Response after = onOther.get("/api/v1/me");
            assertThat(after.status()).isEqualTo(401);
            assertThat(after.json().get("message").asText()).contains("sign in again");
            assertThat(after.header("Set-Cookie").orElseThrow()).contains("Max-Age=0");
            assertThat(signedIn.withoutCsrf().get("/api/v1/session").status()).isEqualTo(401);
        }
    }

    @Test
    void a_made_up_or_malformed_cookie_gets_401() {
        for (String value : new String[]{"x".repeat(43), "", "a b", "é".repeat(10), "y".repeat(300)}) {
            Http.Response response = admin.as(null).with("Cookie", "darklaunch_session=" + value).get("/api/v1/projects");
            assertThat(response.status()).as(value).isEqualTo(401);
            assertThat(response.text()).doesNotContain("\"items\"");
        }
    }

    @Test
    void sessions_end_after_the_idle_timeout_and_after_the_absolute_timeout() throws InterruptedException {
        SessionSettings short_ = new SessionSettings(Duration.ofSeconds(2), Duration.ofSeconds(5));
        try (TestServer quick = TestServer.start(databaseUrl, config -> TestServer.withAdminPassword(config).withSessions(short_))) {
            // idle: unused for longer than 2 s
            SignedIn idle = quick.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(idle.withoutCsrf().get("/api/v1/me").status()).isEqualTo(200);
            Await.past(Instant.now().plusMillis(2_600)); // idle: only the clock may pass, any request would count as use
            Http.Response expired = idle.withoutCsrf().get("/api/v1/me");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("message").asText()).contains("expired");

            // absolute: used every few hundred ms, it still ends 5 s after sign-in
            SignedIn busy = quick.signIn("admin", TestServer.ADMIN_PASSWORD);
            long start = System.nanoTime();
            // the pace of use is part of the test: a request every 300 ms, each one sliding the idle timeout
            int status = Await.value(Duration.ofSeconds(15), Duration.ofMillis(300), "the busy session ends", () -> {
                int answer = busy.withoutCsrf().get("/api/v1/me").status();
                return answer == 200 ? null : answer;
            });
            long lasted = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(status).isEqualTo(401);
            assertThat(lasted).as("the idle timeout slid with use, until the absolute end").isBetween(4_000L, 7_000L);
        }
    }

    @Test
    void a_changed_DARKLAUNCH_ADMIN_PASSWORD_replaces_the_password_at_the_next_start() {
        String fresh = TestDatabase.fresh();
        String first = "the first admin password";
        String second = "the second admin password";
        try (TestServer one = TestServer.start(fresh, config -> config.withAdminPassword(first))) {
            SignedIn signedIn = one.signIn("admin", first);
            assertThat(signedIn.withoutCsrf().get("/api/v1/me").status()).isEqualTo(200);
        }
        try (TestServer two = TestServer.start(fresh, config -> config.withAdminPassword(second))) {
            assertThat(new Http(two.base(), null).post("/api/v1/session", Map.of("email", "admin", "password", first)).status())
                    .isEqualTo(401);
            assertThat(two.signIn("admin", second).response().status()).isEqualTo(200);
        }
    }

    @Test
    void a_first_start_without_DARKLAUNCH_ADMIN_PASSWORD_generates_one_and_tells_it_once() {
        String fresh = TestDatabase.fresh();
        String generated;
        try (TestServer one = TestServer.start(fresh, config -> config)) {
            generated = one.server().generatedAdminPassword().orElseThrow();
            assertThat(generated).hasSizeGreaterThanOrEqualTo(12);
            assertThat(one.signIn("admin", generated).response().status()).isEqualTo(200);
            assertThat(Main.banner(one.server())).contains(generated);
        }
        try (TestServer two = TestServer.start(fresh, config -> config)) {
            assertThat(two.server().generatedAdminPassword()).isEmpty();
            assertThat(Main.banner(two.server())).doesNotContain(generated);
            assertThat(two.signIn("admin", generated).response().status()).isEqualTo(200);
        }
    }
}
