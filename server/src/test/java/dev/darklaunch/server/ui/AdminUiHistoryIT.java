package dev.darklaunch.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.darklaunch.server.testing.Fixtures.succeeded;

/**
 * The history as a product owner reads it: every kind of change the server records, made through
 * the API, reads as a sentence on the audit page (people and token names, times with their
 * zone); the page filters by who and what; a viewer is told once what they may do; a field the
 * server refuses is marked with its message beside it.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AdminUiHistoryIT {

    private static final String PROJECT = "/api/v1/projects/history";
    private static final String DEFAULT = "/api/v1/projects/default";
    private static final String PASSWORD = "a long enough password";
    private static final Pattern TIME_WITH_ZONE = Pattern.compile("^\\d\\d:\\d\\d \\S+, \\d{1,2} [A-Z][a-z]{2}( \\d{4})?$");

    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    /** Each action the server writes, the sentence (or part of it) that tells it, and who it names. */
    private static final Map<String, String[]> SENTENCES = new LinkedHashMap<>();

    @BeforeAll
    static void every_kind_of_change() throws IOException {
        Http admin = server.admin();
        succeeded(admin.post("/api/v1/projects", Map.of("key", "history", "name", "History")));
        succeeded(admin.put(PROJECT, Map.of("name", "History book")));
        succeeded(admin.post(PROJECT + "/environments", Map.of("key", "qa", "name", "QA")));
        succeeded(admin.put(PROJECT + "/environments/qa", Map.of("name", "QA", "production", false, "rollbackOnFailure", true)));
        Fixtures given = new Fixtures(admin).inProject("history");

        given.flag(Map.of("key", "checkout-v2", "name", "Checkout v2", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
        succeeded(admin.put(PROJECT + "/flags/checkout-v2", Map.of("key", "checkout-v2", "name", "New checkout", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false)), "tags", List.of("web"))));
        given.configuration("checkout-v2", "production", Map.of("on", false, "offVariation", 1,
                "fallthrough", rollout(5)));
        given.configuration("checkout-v2", "production", Map.of("on", false, "offVariation", 1, "fallthrough", rollout(25),
                "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "country", "op", "in", "values", List.of("NO", "SE"))),
                        "serve", Map.of("variation", 0)))));
        given.toggle("checkout-v2", "production", true, Map.of("comment", "go"));
        given.toggle("checkout-v2", "production", false, Map.of("comment", "error rate up"));
        given.booleanFlag("short-lived");
        succeeded(admin.delete(PROJECT + "/flags/short-lived"));

        given.segment(Map.of("key", "staff", "name", "Staff"));
        succeeded(admin.put(PROJECT + "/segments/staff", Map.of("key", "staff", "name", "Employees")));
        given.segmentConfiguration("staff", "production", Map.of("included", List.of("ana", "bo")));
        given.segment(Map.of("key", "temporary", "name", "Temporary"));
        succeeded(admin.delete(PROJECT + "/segments/temporary"));

        try (InputStream in = AdminUiHistoryIT.class.getResourceAsStream("/unleash/realistic-payload.json")) {
            JsonNode payload = Http.mapper().readTree(in);
            succeeded(admin.post(PROJECT + "/import/unleash?environment=staging", payload));
        }

        Http pipeline = new Http(server.base(), server.token("pipeline", "history", "production"));
        JsonNode ci = given.token(Map.of("name", "ci", "kind", "pipeline", "project", "history", "environments", List.of("production")));
        succeeded(admin.delete("/api/v1/tokens/" + ci.at("/token/id").asLong()));

        Fixtures deployer = new Fixtures(pipeline).inProject("history");
        long checkout = deployer.deployment(Map.of("service", "checkout", "version", "1.4.2", "environment", "production",
                "flags", List.of("fast-pay"))).get("id").asLong();
        deployer.release(checkout, Map.of("steps", List.of(Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1H"))));
        succeeded(admin.post(PROJECT + "/deployments/" + checkout + "/release/pause", Map.of("comment", "looks odd")));
        succeeded(admin.post(PROJECT + "/deployments/" + checkout + "/release/resume", Map.of()));
        succeeded(admin.post(PROJECT + "/deployments/" + checkout + "/rollback", Map.of("comment", "payment errors")));
        long search = deployer.deployment(Map.of("service", "search", "version", "3.0.0", "environment", "production",
                "flags", List.of())).get("id").asLong();
        succeeded(pipeline.send("PATCH", PROJECT + "/deployments/" + search, Map.of("status", "succeeded"), "application/json"));

        server.user("viewer@example.com", PASSWORD, "viewer");
        server.user("carla@example.com", PASSWORD, "editor");
        long bo = server.user("bo@example.com", PASSWORD, "editor");
        succeeded(admin.send("PATCH", "/api/v1/users/" + bo, Map.of("role", "admin"), "application/json"));
        succeeded(admin.send("PATCH", "/api/v1/users/" + bo, Map.of("password", PASSWORD + " 2"), "application/json"));
        succeeded(admin.send("PATCH", "/api/v1/users/" + bo, Map.of("role", "viewer", "password", PASSWORD + " 3"), "application/json"));
        succeeded(admin.delete("/api/v1/users/" + bo));

        String adminToken = "admin token";
        String pipelineToken = "pipeline token";
        tells("project.create", "Project “History” created", adminToken);
        tells("project.update", "Project renamed: “History” → “History book”", adminToken);
        tells("environment.create", "Environment “QA” added", adminToken);
        tells("environment.update", "Environment “QA” changed", adminToken, "Roll back deployments that fail: yes");
        tells("flag.create", "Flag “fast-pay” created, shipped dark by checkout 1.4.2", pipelineToken);
        tells("flag.update", "Flag “New checkout” changed", adminToken, "Renamed: “Checkout v2” → “New checkout”", "Tags: + web");
        tells("flag.delete", "Flag “short-lived” deleted", adminToken);
        tells("flag.on", "Turned on in production — “go”", adminToken);
        tells("flag.off", "Turned off in production by the rollback of checkout 1.4.2 — “payment errors”", adminToken);
        tells("flag.config.update", "Targeting changed in production", adminToken,
                "Rule 1 added: country is NO or SE → on", "Default rule: 5 % on → 25 % on");
        tells("flag.release", "Released by checkout 1.4.2 in production", "release plan (started by pipeline token");
        tells("flag.import", "from Unleash", adminToken);
        tells("segment.create", "Segment “Temporary” created", adminToken);
        tells("segment.update", "Segment “Employees” changed", adminToken, "Name: “Staff” → “Employees”");
        tells("segment.delete", "Segment “Temporary” deleted", adminToken);
        tells("segment.config.update", "Segment “staff”: members changed in production", adminToken, "Included: + ana, bo");
        tells("segment.import", "from Unleash", adminToken);
        tells("token.create", "Pipeline token “ci” for history (production) created", adminToken);
        tells("token.revoke", "Pipeline token “ci” for history (production) revoked", adminToken);
        tells("deployment.create", "search 3.0.0 deployed in production", pipelineToken);
        tells("deployment.status", "search 3.0.0 succeeded in production", pipelineToken);
        tells("deployment.release", "Release of checkout 1.4.2 started in production: 10 %, then 50 % after 1 h", pipelineToken);
        tells("deployment.release.step", "checkout 1.4.2 released to 10 % in production (step 1 of 2)", "release plan (started by pipeline token");
        tells("deployment.release.pause", "Release of checkout 1.4.2 paused in production — “looks odd”", adminToken);
        tells("deployment.release.resume", "Release of checkout 1.4.2 resumed in production", adminToken);
        tells("deployment.rollback", "checkout 1.4.2 rolled back in production — “payment errors”", adminToken);
        tells("user.create", "User bo@example.com added as editor", adminToken);
        tells("user.role", "bo@example.com: editor → admin", adminToken);
        tells("user.password", "Password of bo@example.com changed", adminToken);
        tells("user.update", "bo@example.com: admin → viewer, and a new password", adminToken);
        tells("user.delete", "User bo@example.com removed", adminToken);
    }

    private static void tells(String action, String... sentenceActorAndChanges) {
        SENTENCES.put(action, sentenceActorAndChanges);
    }

    private static Map<String, Object> rollout(int percent) {
        return Map.of("rollout", Map.of("variations", List.of(Map.of("variation", 0, "weight", percent * 1000),
                Map.of("variation", 1, "weight", 100_000 - percent * 1000))));
    }

    /**
     * Every action the server records was made above (the audit log holds each), and each reads
     * as its sentence on the audit page, filtered to that action: the newest event of the kind,
     * who made it by name, when with the zone, and the recorded states behind "Details".
     */
    @Test
    void every_kind_of_change_reads_as_a_sentence_on_the_audit_page() {
        JsonNode recorded = server.admin().get("/api/v1/audit?limit=500").json().get("items");
        java.util.Set<String> actions = new java.util.TreeSet<>();
        recorded.forEach(event -> actions.add(event.get("action").asText()));
        Assertions.assertThat(SENTENCES.keySet()).as("every action recorded has its sentence here").containsAll(actions);
        Assertions.assertThat(actions).as("every action here was recorded").containsAll(SENTENCES.keySet());

        try (Browser.Tab tab = browser.open("/projects/history/audit")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.locator(".audit-list")).isVisible();
            tab.screenshot("history-audit-log");
            for (Map.Entry<String, String[]> expected : SENTENCES.entrySet()) {
                String action = expected.getKey();
                String[] told = expected.getValue();
                boolean accounts = action.startsWith("user.");
                page.navigate("/projects/history/audit?action=" + action + (accounts ? "&everywhere=yes" : ""));
                Locator events = page.locator(".audit-list .audit-event");
                assertThat(events.first()).hasAttribute("data-action", action);
                Assertions.assertThat((Boolean) events.evaluateAll("(all, action) => all.every(e => e.dataset.action === action)", action))
                        .as("only %s events", action).isTrue();
                Locator newest = events.first();
                assertThat(newest.locator(".audit-sentence")).containsText(told[0]);
                assertThat(newest.locator(".audit-meta .actor")).containsText(told[1]);
                assertThat(newest.locator(".audit-meta .actor")).not().containsText("#");
                assertThat(newest.locator(".audit-meta time")).hasText(TIME_WITH_ZONE);
                for (int i = 2; i < told.length; i++) {
                    assertThat(newest.locator(".audit-changes")).containsText(told[i]);
                }
                Locator details = newest.locator("details");
                assertThat(details.locator(".audit-raw")).not().isVisible();
                details.locator("summary").click();
                assertThat(details.locator(".audit-raw")).containsText(action);
            }
            page.navigate("/projects/history/audit?action=flag.config.update");
            tab.screenshot("history-targeting-changed");
        }
    }

    /** Who and what, chosen on the page, filter on the server; the address keeps them; a bad one is refused in words. */
    @Test
    void the_audit_page_filters_by_who_and_what() {
        new Fixtures(server.admin()).booleanFlag("carlas-flag");
        Http carla = server.signIn("carla@example.com", PASSWORD).http();
        succeeded(carla.post(DEFAULT + "/flags/carlas-flag/environments/staging/on", Map.of("comment", "carla tries it")));
        succeeded(carla.post(DEFAULT + "/flags/carlas-flag/environments/staging/off", Map.of("comment", "carla is done")));

        try (Browser.Tab tab = browser.open("/projects/default/audit")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator filters = page.locator("form.filters");
            filters.getByLabel("Who (email or token name)").fill("CARLA@");
            filters.getByLabel("What").selectOption("flag.off");
            filters.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply")).click();
            Locator events = page.locator(".audit-list .audit-event");
            assertThat(events).hasCount(1);
            assertThat(events.first()).containsText("Turned off in staging — “carla is done”");
            assertThat(events.first().locator(".actor")).hasText("carla@example.com");
            Assertions.assertThat(page.url()).contains("actor=CARLA%40", "action=flag.off");
            tab.screenshot("history-filtered");

            filters.getByLabel("What").selectOption("flag.*");
            filters.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply")).click();
            assertThat(events).hasCount(2);
            assertThat(events.nth(1)).containsText("Turned on in staging — “carla tries it”");

            page.navigate("/projects/default/audit?action=Flag.Off");
            assertThat(page.locator(".audit [role=alert]")).containsText("action must be an audit action");
        }
    }

    /** A viewer reads one sentence on each page with forms, and no control hints at its role by tooltip. */
    @Test
    void a_viewer_is_told_once_that_they_can_view_and_whom_to_ask() {
        try (Browser.Tab tab = browser.open("/projects/history/flags")) {
            Page page = tab.page();
            tab.signIn("viewer@example.com", PASSWORD);
            for (String path : List.of("/projects/history/flags", "/projects/history/flags/checkout-v2", "/projects/history/segments",
                    "/projects/history/segments/staff", "/projects/history/environments", "/projects/history/deployments")) {
                page.navigate(path);
                assertThat(page.locator("main h1")).isVisible();
                Locator note = page.locator("main .view-only-note");
                assertThat(note).hasCount(1);
                assertThat(note).hasText("You can view; ask an editor or admin to change. Your role is viewer.");
                assertThat(page.locator("main [title*='role']")).hasCount(0);
                if (path.endsWith("/checkout-v2")) {
                    tab.screenshot("viewer-flag");
                }
            }
            page.navigate("/projects/history/audit");
            assertThat(page.locator("main h1")).hasText("Audit log");
            assertThat(page.locator("main .view-only-note")).hasCount(0); // nothing to change there, for anyone
        }
    }

    /** The server refuses a field: the field is marked and described by the server's message, which goes when it is edited. */
    @Test
    void a_refused_field_is_marked_with_the_servers_message_beside_it() {
        try (Browser.Tab tab = browser.open("/projects/default/flags")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New flag")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel(Pattern.compile("^Key")).fill("tagged-badly");
            Locator tags = dialog.getByLabel(Pattern.compile("^Tags"));
            tags.fill("fine bad!tag");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create flag")).click();

            assertThat(tags).hasAttribute("aria-invalid", "true");
            assertThat(tags).isFocused();
            String describedBy = tags.getAttribute("aria-describedby");
            Locator message = dialog.locator("#" + describedBy);
            assertThat(message).isVisible();
            assertThat(message).containsText("bad!tag");
            assertThat(dialog.locator("p.error")).hasCount(0); // said once, beside the field
            Assertions.assertThat((Boolean) message.evaluate("(m, tags) => tags.closest('label').nextElementSibling === m",
                    tags.elementHandle())).as("the message follows the field's label").isTrue();
            tab.screenshot("field-error");
            Assertions.assertThat(server.admin().get(DEFAULT + "/flags/tagged-badly").status()).isEqualTo(404);

            tags.fill("fine good-tag");
            assertThat(tags).not().hasAttribute("aria-invalid", "true");
            assertThat(dialog.locator(".field-error")).hasCount(0);
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create flag")).click();
            assertThat(page.getByRole(AriaRole.DIALOG)).hasCount(0);
            Assertions.assertThat(server.admin().get(DEFAULT + "/flags/tagged-badly").json().get("tags").toString()).contains("good-tag");
        }
    }
}
