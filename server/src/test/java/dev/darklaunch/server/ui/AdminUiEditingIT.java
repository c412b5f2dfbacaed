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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * What a product owner changes in the browser besides flag configurations: flag definitions
 * (and archiving), segment names, environments and projects, their own password, and a
 * deployment's status. Each test does it through the UI and then reads the server's state over
 * the REST API.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AdminUiEditingIT {

    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    /**
     * Flag definition: name, description, tags, owner, lifecycle, a renamed and an added
     * variation; a concurrent change is a 412 the dialog explains and reloads; archive, and the
     * flags list's archived filter.
     */
    @Test
    void a_product_owner_edits_a_flag_definition_resolves_a_conflict_and_archives_it() {
        Http.Response created = server.admin().post("/api/v1/projects/default/flags", Map.of(
                "key", "banner-colour", "name", "Banner colour", "kind", "string",
                "variations", List.of(Map.of("value", "red"), Map.of("value", "green"))));
        Assertions.assertThat(created.status()).as("%s", created).isEqualTo(201);

        try (Browser.Tab tab = browser.open("/projects/default/flags/banner-colour")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Banner colour").setLevel(1))).isVisible();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit definition")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("Homepage banner colour");
            dialog.getByLabel("Description", new Locator.GetByLabelOptions().setExact(true)).fill("Which colour the banner has");
            dialog.getByLabel("Tags").fill("homepage, design");
            dialog.getByLabel("Owner").fill("team-growth");
            dialog.getByLabel("permanent").check();
            dialog.getByLabel("Name of #0").fill("Red");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add variation")).click();
            dialog.getByLabel("Value #2").fill("blue");
            dialog.getByLabel("Name of #2").fill("Blue");
            tab.screenshot("flag-definition");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save definition")).click();
            assertThat(page.getByRole(AriaRole.DIALOG)).hasCount(0);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Homepage banner colour");
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("The definition was saved.");
            assertThat(page.locator("ol.variations")).containsText("Blue");

            JsonNode flag = server.admin().get("/api/v1/projects/default/flags/banner-colour").json();
            Assertions.assertThat(flag.get("name").asText()).isEqualTo("Homepage banner colour");
            Assertions.assertThat(flag.get("description").asText()).isEqualTo("Which colour the banner has");
            Assertions.assertThat(flag.get("tags").toString()).isEqualTo("[\"homepage\",\"design\"]");
            Assertions.assertThat(flag.get("owner").asText()).isEqualTo("team-growth");
            Assertions.assertThat(flag.get("lifecycle").asText()).isEqualTo("permanent");
            Assertions.assertThat(flag.get("variations").toString())
                    .isEqualTo("[{\"value\":\"red\",\"name\":\"Red\"},{\"value\":\"green\"},{\"value\":\"blue\",\"name\":\"Blue\"}]");

            // someone else changes the definition while the dialog is open: a 412, explained, then a reload
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit definition")).click();
            dialog = page.getByRole(AriaRole.DIALOG);
            ((com.fasterxml.jackson.databind.node.ObjectNode) flag).put("description", "Changed over the API");
            Http.Response other = server.admin().with("If-Match", "\"" + flag.get("version").asLong() + "\"")
                    .put("/api/v1/projects/default/flags/banner-colour", withoutViewFields(flag));
            Assertions.assertThat(other.status()).as("%s", other).isEqualTo(200);
            dialog.getByLabel("Owner").fill("team-checkout");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save definition")).click();
            Locator stale = dialog.locator(".stale-version");
            assertThat(stale).containsText("Someone else changed this since you opened it");
            tab.screenshot("flag-definition-conflict");
            stale.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reload")).click();
            assertThat(dialog.getByLabel("Description", new Locator.GetByLabelOptions().setExact(true))).hasValue("Changed over the API");
            assertThat(dialog.getByLabel("Owner")).hasValue("team-growth");
            dialog.getByLabel("Owner").fill("team-checkout");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save definition")).click();
            assertThat(page.getByRole(AriaRole.DIALOG)).hasCount(0);
            flag = server.admin().get("/api/v1/projects/default/flags/banner-colour").json();
            Assertions.assertThat(flag.get("owner").asText()).isEqualTo("team-checkout");
            Assertions.assertThat(flag.get("description").asText()).isEqualTo("Changed over the API");

            // archive: hidden from the list unless it shows archived flags
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Archive").setExact(true)).click();
            dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog).containsText("no longer sent to SDKs");
            dialog.getByLabel("Comment for the audit log (optional)").fill("banner test is over");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Archive")).click();
            assertThat(page.locator("p.banner")).containsText("Archived.");
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Unarchive"))).isVisible();
            Assertions.assertThat(server.admin().get("/api/v1/projects/default/flags/banner-colour").json().get("archived").asBoolean()).isTrue();

            page.locator("p.crumbs a").click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Flags").setLevel(1))).isVisible();
            assertThat(page.locator("tr[data-flag=banner-colour]")).hasCount(0);
            page.getByLabel("Show").selectOption("true");
            assertThat(page).hasURL(Pattern.compile("archived=true"));
            assertThat(page.locator("tr[data-flag=banner-colour] .badge")).hasText("archived");
            tab.screenshot("flags-archived");
            Assertions.assertThat(tab.dialogs()).isEmpty();
        }
        String audit = server.admin().get("/api/v1/projects/default/audit?flag=banner-colour").text();
        Assertions.assertThat(audit).contains("banner test is over");
    }

    /**
     * A configuration that serves the application's own default while off, and carries metadata
     * for applications: the page says so, and a save from the page keeps both.
     */
    @Test
    void a_configuration_without_an_off_variation_and_with_metadata_keeps_both_when_saved_from_the_page() {
        Http.Response created = server.admin().post("/api/v1/projects/default/flags", Map.of(
                "key", "spring-promo", "name", "Spring promo", "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
        Assertions.assertThat(created.status()).as("%s", created).isEqualTo(201);
        Map<String, Object> config = new java.util.HashMap<>(Map.of("on", false, "fallthrough", Map.of("variation", 0),
                "metadata", Map.of("team", "growth", "priority", 2)));
        config.put("offVariation", null);
        Http.Response put = server.admin().put("/api/v1/projects/default/flags/spring-promo/environments/staging", config);
        Assertions.assertThat(put.status()).as("%s", put).isEqualTo(200);

        try (Browser.Tab tab = browser.open("/projects/default/flags/spring-promo?env=staging")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator whileOff = page.getByLabel("While off, serve");
            assertThat(whileOff).hasValue("");
            assertThat(whileOff.locator("option:checked")).hasText("the application's own default (no variation)");
            page.getByLabel("Serving (on)").check();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save Staging")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Saved.");
        }
        JsonNode saved = server.admin().get("/api/v1/projects/default/flags/spring-promo/environments/staging").json().get("config");
        Assertions.assertThat(saved.get("on").asBoolean()).isTrue();
        Assertions.assertThat(saved.get("offVariation").isNull()).as("%s", saved).isTrue();
        Assertions.assertThat(saved.get("metadata").toString()).isEqualTo("{\"team\":\"growth\",\"priority\":2}");
    }

    /** Segments: name and description change in the browser; the key stays. */
    @Test
    void a_product_owner_renames_a_segment() {
        Assertions.assertThat(server.admin().post("/api/v1/projects/default/segments",
                Map.of("key", "early-birds", "name", "Early birds")).status()).isEqualTo(201);
        try (Browser.Tab tab = browser.open("/projects/default/segments/early-birds")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Early birds").setLevel(1))).isVisible();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit name and description")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Name").fill("Beta customers");
            dialog.getByLabel("Description").fill("Customers who asked to try new features first");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Beta customers");
            assertThat(page.locator("p.description")).hasText("Customers who asked to try new features first");
            tab.screenshot("segment-renamed");
        }
        JsonNode segment = server.admin().get("/api/v1/projects/default/segments/early-birds").json();
        Assertions.assertThat(segment.get("name").asText()).isEqualTo("Beta customers");
        Assertions.assertThat(segment.get("description").asText()).isEqualTo("Customers who asked to try new features first");
    }

    /**
     * An admin creates a project from the project picker; an editor renames an environment, marks
     * it production, turns a failure policy off and adds an environment.
     */
    @Test
    void an_admin_creates_a_project_and_an_editor_sets_up_its_environments() {
        try (Browser.Tab tab = browser.open("/")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New project")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Key").fill("shop");
            dialog.getByLabel("Name").fill("Shop");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create project")).click();
            assertThat(page).hasURL(Pattern.compile("/projects/shop/flags$"));
            assertThat(page.getByLabel("Project", new Page.GetByLabelOptions().setExact(true))).hasValue("shop");
            assertThat(page.locator("main .empty")).containsText("No flags yet");
        }
        Assertions.assertThat(server.admin().get("/api/v1/projects/shop").json().get("name").asText()).isEqualTo("Shop");

        server.user("edda@example.com", "editor password 0123", "editor");
        try (Browser.Tab tab = browser.open("/projects/shop/flags")) {
            Page page = tab.page();
            tab.signIn("edda@example.com", "editor password 0123");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Environments")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Environments").setLevel(1))).isVisible();

            Locator staging = page.locator("li[data-env=staging]");
            assertThat(staging.getByLabel(Pattern.compile("^When a deployment"))).not().isChecked();
            staging.getByLabel("Name").fill("Pre-production");
            staging.getByLabel(Pattern.compile("^Production")).check();
            // the failure policy follows the production mark until chosen
            assertThat(staging.getByLabel(Pattern.compile("^When a deployment"))).isChecked();
            staging.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save Staging")).click();
            assertThat(staging.getByRole(AriaRole.STATUS)).hasText("Saved.");
            assertThat(staging.locator("h2")).containsText("Pre-production");

            Locator production = page.locator("li[data-env=production]");
            assertThat(production.getByLabel(Pattern.compile("^When a deployment"))).isChecked();
            production.getByLabel(Pattern.compile("^When a deployment")).uncheck();
            production.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save Production")).click();
            assertThat(production.getByRole(AriaRole.STATUS)).hasText("Saved.");

            Locator add = page.locator("form[aria-labelledby=add-env-title]");
            add.getByLabel("Key").fill("qa");
            add.getByLabel("Name").fill("QA");
            add.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add environment")).click();
            assertThat(page.locator("li[data-env=qa] h2")).containsText("QA");
            assertThat(add.getByRole(AriaRole.STATUS)).hasText("QA was added.");
            tab.screenshot("environments");

            // the rest of the app follows: the flags page has a column for the new environment
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Flags").setExact(true)).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Flags").setLevel(1))).isVisible();
        }
        JsonNode environments = server.admin().get("/api/v1/projects/shop/environments").json().get("items");
        Assertions.assertThat(environments).hasSize(4);
        JsonNode staging = environments.get(1);
        Assertions.assertThat(staging.get("key").asText()).isEqualTo("staging");
        Assertions.assertThat(staging.get("name").asText()).isEqualTo("Pre-production");
        Assertions.assertThat(staging.get("production").asBoolean()).isTrue();
        Assertions.assertThat(staging.get("rollbackOnFailure").asBoolean()).isTrue();
        JsonNode production = environments.get(2);
        Assertions.assertThat(production.get("production").asBoolean()).isTrue();
        Assertions.assertThat(production.get("rollbackOnFailure").asBoolean()).isFalse();
        Assertions.assertThat(environments.get(3).get("key").asText()).isEqualTo("qa");
        Assertions.assertThat(environments.get(3).get("name").asText()).isEqualTo("QA");
    }

    /** Your own password: a wrong current one is refused at its field; then it changes and other sessions end. */
    @Test
    void a_signed_in_user_changes_their_own_password() {
        server.user("pia@example.com", "first password 0123", "editor");
        TestServer.SignedIn elsewhere = server.signIn("pia@example.com", "first password 0123");
        try (Browser.Tab tab = browser.open("/")) {
            Page page = tab.page();
            tab.signIn("pia@example.com", "first password 0123");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(Pattern.compile("^pia@example.com"))).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your account"))).isVisible();

            page.getByLabel("Current password").fill("not my password 0123");
            page.getByLabel(Pattern.compile("^New password")).fill("second password 4567");
            page.getByLabel("Repeat the new password").fill("second password 4567");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Change password")).click();
            assertThat(page.locator("#current-error")).hasText("That is not your current password.");
            assertThat(page.getByLabel("Current password")).hasAttribute("aria-invalid", "true");
            Assertions.assertThat(elsewhere.http().get("/api/v1/session").status()).as("nothing changed yet").isEqualTo(200);

            page.getByLabel("Current password").fill("first password 0123");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Change password")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("Your password was changed. Your other sessions have ended.");
            tab.screenshot("account");

            // this session stays; the other one ended; only the new password signs in
            page.reload();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your account"))).isVisible();
        }
        Assertions.assertThat(elsewhere.http().get("/api/v1/session").status()).isEqualTo(401);
        Assertions.assertThat(new Http(server.base(), null).post("/api/v1/session",
                Map.of("email", "pia@example.com", "password", "first password 0123")).status()).isEqualTo(401);
        server.signIn("pia@example.com", "second password 4567");
    }

    /**
     * A deployment's status reported in the browser: failed in production, where the failure
     * policy switches its flags off (the confirmation says so); succeeded in staging.
     */
    @Test
    void a_product_owner_reports_deployments_failed_and_succeeded() {
        Http pipeline = new Http(server.base(), server.token("pipeline", "default", "production", "staging"));
        Http.Response failing = pipeline.post("/api/v1/projects/default/deployments", Map.of(
                "service", "payments", "version", "2.0.0", "environment", "production", "flags", List.of("pay-later")));
        Assertions.assertThat(failing.status()).as("%s", failing).isEqualTo(201);
        long failingId = failing.json().get("id").asLong();
        Assertions.assertThat(pipeline.post("/api/v1/projects/default/deployments/" + failingId + "/release", Map.of()).status())
                .isEqualTo(200);
        Assertions.assertThat(flagOn("pay-later", "production")).as("released").isTrue();
        JsonNode fine = new Fixtures(pipeline).deployment(Map.of(
                "service", "search", "version", "7.1.0", "environment", "staging", "flags", List.of("fuzzy-search")));
        long fineId = fine.get("id").asLong();

        try (Browser.Tab tab = browser.open("/projects/default/deployments")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator card = page.locator("li.deployment[data-deployment='" + failingId + "']");
            assertThat(card.locator("[data-flag=pay-later] .state")).hasText("on · 100 %");
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report failed…")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog.locator(".policy-warning")).containsText("Production rolls failed deployments back");
            assertThat(dialog.locator(".policy-warning")).containsText("pay-later");
            tab.screenshot("deployment-report-failed");
            dialog.getByLabel("Comment for the audit log (optional)").fill("health checks red");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report failed")).click();
            assertThat(card.locator("[data-status]")).hasAttribute("data-status", "failed");
            assertThat(card.locator("[data-flag=pay-later] .state")).hasText("off");

            Locator other = page.locator("li.deployment[data-deployment='" + fineId + "']");
            other.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report failed…")).click();
            assertThat(page.getByRole(AriaRole.DIALOG)).containsText("Staging does not roll failed deployments back");
            page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
            other.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report succeeded")).click();
            assertThat(other.locator("[data-status]")).hasAttribute("data-status", "succeeded");
            assertThat(other.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report succeeded"))).hasCount(0);
            tab.screenshot("deployments-reported");
        }
        Assertions.assertThat(server.admin().get("/api/v1/projects/default/deployments/" + failingId).json().get("status").asText())
                .isEqualTo("failed");
        Assertions.assertThat(flagOn("pay-later", "production")).as("switched off by the failure policy").isFalse();
        Assertions.assertThat(server.admin().get("/api/v1/projects/default/deployments/" + fineId).json().get("status").asText())
                .isEqualTo("succeeded");
        Assertions.assertThat(server.admin().get("/api/v1/projects/default/audit?deployment=" + failingId).text())
                .contains("health checks red", "policy:rollback-on-failure");
    }

    private static boolean flagOn(String flag, String environment) {
        return server.admin().get("/api/v1/projects/default/flags/" + flag).json().at("/environments/" + environment + "/on").asBoolean();
    }

    /** A flag view as a PUT body: the definition's fields only. */
    private static Map<String, Object> withoutViewFields(JsonNode view) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = Http.mapper().convertValue(view, Map.class);
        List.of("version", "createdAt", "updatedAt", "environments").forEach(body::remove);
        return body;
    }
}
