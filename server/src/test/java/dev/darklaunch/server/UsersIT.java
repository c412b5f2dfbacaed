package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import dev.darklaunch.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin UI's users: created, listed, changed and deleted by admins only, audited without
 * passwords, emails unique regardless of case, the last admin kept, and sessions ended when a
 * user is deleted or their password is reset.
 */
@DarklaunchServerTest(adminPassword = true)
class UsersIT {

    private static final String PASSWORD = "a decent password 42";
    @Given
    private static TestServer server;
    @Given
    private static Http admin;

    @Test
    void an_admin_creates_reads_changes_and_deletes_a_user_and_every_step_is_audited_without_the_password() {
        Http.Response created = admin.post("/api/v1/users", Map.of("email", "Ann@Example.com", "password", PASSWORD, "role", "editor"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.header("Location")).hasValue("/api/v1/users/" + id);
        assertThat(created.header("ETag")).hasValue("\"1\"");
        assertThat(created.json().get("email").asText()).isEqualTo("Ann@Example.com");
        assertThat(created.json().get("role").asText()).isEqualTo("editor");

        Http.Response read = admin.get("/api/v1/users/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).hasValue("\"1\"");
        assertThat(admin.get("/api/v1/users").json().get("items")).extracting(u -> u.get("email").asText())
                .contains("admin", "Ann@Example.com");

        // she signs in with any case of her email
        SignedIn ann = server.signIn("ann@example.COM", PASSWORD);
        assertThat(ann.withoutCsrf().get("/api/v1/me").json().get("role").asText()).isEqualTo("editor");

        Http.Response stale = admin.with("If-Match", "\"7\"").send("PATCH", "/api/v1/users/" + id, Map.of("role", "viewer"),
                "application/json");
        assertThat(stale.status()).isEqualTo(412);
        Http.Response demoted = admin.with("If-Match", "\"1\"").send("PATCH", "/api/v1/users/" + id, Map.of("role", "viewer"),
                "application/json");
        assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
        assertThat(demoted.json().get("role").asText()).isEqualTo("viewer");
        assertThat(demoted.header("ETag")).hasValue("\"2\"");
        // a role change applies to her open session at once
        assertThat(ann.http().post("/api/v1/projects", Map.of("key", "annp", "name", "Ann's")).status()).isEqualTo(403);

        Http.Response deleted = admin.delete("/api/v1/users/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/users/" + id).status()).isEqualTo(404);
        assertThat(ann.withoutCsrf().get("/api/v1/me").status()).as("her session ended with her").isEqualTo(401);

        String audit = admin.get("/api/v1/audit?limit=500").text();
        assertThat(audit).contains("\"user.create\"", "\"user.role\"", "\"user.delete\"").doesNotContain(PASSWORD, "$2a$", "passwordHash", "password_hash");
        assertThat(admin.get("/api/v1/users").text()).doesNotContain("$2a$", "hash", "password");
    }

    @Test
    void emails_are_unique_regardless_of_case() {
        server.user("bob@example.com", PASSWORD, "viewer");
        Http.Response duplicate = admin.post("/api/v1/users", Map.of("email", "BOB@example.com", "password", PASSWORD, "role", "admin"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("field").asText()).isEqualTo("email");
    }

    @Test
    void bad_users_are_refused_with_400_naming_the_field() {
        assertThat(admin.post("/api/v1/users", Map.of("email", "carl@example.com", "password", "too short", "role", "viewer"))
                .json().get("field").asText()).isEqualTo("password");
        assertThat(admin.post("/api/v1/users", Map.of("email", "not an email", "password", PASSWORD, "role", "viewer"))
                .json().get("field").asText()).isEqualTo("email");
        assertThat(admin.post("/api/v1/users", Map.of("email", "carl@example.com", "password", PASSWORD, "role", "owner"))
                .json().get("field").asText()).isEqualTo("role");
        assertThat(admin.post("/api/v1/users", Map.of("email", "carl@example.com", "password", PASSWORD))
                .json().get("field").asText()).isEqualTo("role");
        assertThat(admin.send("PATCH", "/api/v1/users/1", Map.of(), "application/json").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/users/abc").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/users/" + Long.MAX_VALUE).status()).isEqualTo(404);
    }

    @Test
    void the_last_admin_can_be_neither_deleted_nor_demoted() {
        long adminId = admin.get("/api/v1/users").json().get("items").findValues("email").stream()
                .filter(e -> e.asText().equals("admin")).count() == 1 ? idOf("admin") : -1;
        Http.Response delete = admin.delete("/api/v1/users/" + adminId);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.json().get("message").asText()).contains("last admin");
        Http.Response demote = admin.send("PATCH", "/api/v1/users/" + adminId, Map.of("role", "editor"), "application/json");
        assertThat(demote.status()).isEqualTo(409);

        // with a second admin, the first one may go
        long second = server.user("second-admin@example.com", PASSWORD, "admin");
        SignedIn secondAdmin = server.signIn("second-admin@example.com", PASSWORD);
        assertThat(secondAdmin.http().send("PATCH", "/api/v1/users/" + adminId, Map.of("role", "editor"), "application/json")
                .status()).isEqualTo(200);
        assertThat(secondAdmin.http().delete("/api/v1/users/" + second).status()).as("now the last admin").isEqualTo(409);
        assertThat(admin.send("PATCH", "/api/v1/users/" + adminId, Map.of("role", "admin"), "application/json").status())
                .isEqualTo(200);
    }

    @Test
    void an_editor_manages_neither_tokens_nor_users_and_an_admin_user_does() {
        server.user("eve@example.com", PASSWORD, "editor");
        SignedIn editor = server.signIn("eve@example.com", PASSWORD);
        for (Http.Response response : new Http.Response[]{
                editor.http().get("/api/v1/users"),
                editor.http().post("/api/v1/users", Map.of("email", "x@example.com", "password", PASSWORD, "role", "admin")),
                editor.http().get("/api/v1/tokens"),
                editor.http().post("/api/v1/tokens", Map.of("name", "mine", "kind", "admin")),
                editor.http().get("/api/v1/audit")}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(403);
            assertThat(response.json().get("message").asText()).contains("role editor");
        }
        SignedIn adminUser = server.signIn("admin", TestServer.ADMIN_PASSWORD);
        Http.Response token = adminUser.http().post("/api/v1/tokens", Map.of("name", "made in the UI", "kind", "pipeline",
                "project", "default", "environments", java.util.List.of("staging")));
        assertThat(token.status()).isEqualTo(201);
        assertThat(token.json().at("/token/createdBy").asText()).isEqualTo("user:admin");
    }

    @Test
    void a_user_changes_their_own_password_and_their_other_sessions_end() {
        server.user("dora@example.com", PASSWORD, "viewer");
        SignedIn here = server.signIn("dora@example.com", PASSWORD);
        SignedIn elsewhere = server.signIn("dora@example.com", PASSWORD);
        String next = "an entirely new password";

        Http.Response wrong = here.http().send("PATCH", "/api/v1/me", Map.of("currentPassword", "not my password", "password", next),
                "application/json");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("field").asText()).isEqualTo("currentPassword");
        Http.Response weak = here.http().send("PATCH", "/api/v1/me", Map.of("currentPassword", PASSWORD, "password", "short"),
                "application/json");
        assertThat(weak.json().get("field").asText()).isEqualTo("password");
        Http.Response noCsrf = here.withoutCsrf().send("PATCH", "/api/v1/me", Map.of("currentPassword", PASSWORD, "password", next),
                "application/json");
        assertThat(noCsrf.status()).isEqualTo(403);

        Http.Response changed = here.http().send("PATCH", "/api/v1/me", Map.of("currentPassword", PASSWORD, "password", next),
                "application/json");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(here.withoutCsrf().get("/api/v1/me").status()).isEqualTo(200);
        assertThat(elsewhere.withoutCsrf().get("/api/v1/me").status()).isEqualTo(401);
        assertThat(new Http(server.base(), null).post("/api/v1/session", Map.of("email", "dora@example.com", "password", PASSWORD))
                .status()).isEqualTo(401);
        assertThat(server.signIn("dora@example.com", next).response().status()).isEqualTo(200);
        assertThat(admin.send("PATCH", "/api/v1/me", Map.of("currentPassword", "x", "password", next), "application/json").status())
                .as("tokens have no password").isEqualTo(403);
    }

    @Test
    void an_admin_resetting_a_password_ends_that_users_sessions() {
        long id = server.user("fred@example.com", PASSWORD, "editor");
        SignedIn fred = server.signIn("fred@example.com", PASSWORD);
        assertThat(admin.send("PATCH", "/api/v1/users/" + id, Map.of("password", "reset by the admin 1"), "application/json").status())
                .isEqualTo(200);
        assertThat(fred.withoutCsrf().get("/api/v1/me").status()).isEqualTo(401);
        assertThat(server.signIn("fred@example.com", "reset by the admin 1").response().status()).isEqualTo(200);
    }

    private static long idOf(String email) {
        for (JsonNode user : admin.get("/api/v1/users").json().get("items")) {
            if (user.get("email").asText().equals(email)) {
                return user.get("id").asLong();
            }
        }
        throw new AssertionError("no user " + email);
    }
}
