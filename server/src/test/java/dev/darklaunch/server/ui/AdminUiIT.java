package dev.darklaunch.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The admin UI in a real browser (Chromium driven by Playwright) against a real server and
 * database, with the real Java SDK on the other side: what a product owner does in the UI reaches
 * applications, and what the UI shows agrees with what the SDK answers.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AdminUiIT {

    /** Changes reach SDKs asynchronously. */
    private static final Duration SDK_WAIT = Duration.ofSeconds(30);

    @Given
    private static TestServer server;

    @Given
    private static Fixtures given;
    @Given
    private static Browser browser;
    private static final List<DarklaunchClient> clients = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stop() {
        clients.forEach(DarklaunchClient::close);
    }

    /** Issue "Admin UI", test 1: create, switch on, rule + 25 % rollout, preview = SDK, audited. */
    @Test
    void product_owner_creates_a_flag_rules_it_and_the_preview_agrees_with_the_sdk() {
        try (Browser.Tab tab = browser.open("/")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Flags"))).isVisible();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New flag")).click();
            page.getByLabel("Key").fill("new-checkout");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("New checkout");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create flag")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("New checkout").setLevel(1))).isVisible();
            assertThat(page).hasURL(Pattern.compile("/projects/default/flags/new-checkout"));

            Locator stagingSwitch = page.locator("table.envs tr[data-env=staging] [role=switch]");
            assertThat(stagingSwitch).hasAttribute("aria-checked", "false");
            stagingSwitch.click();
            assertThat(stagingSwitch).hasAttribute("aria-checked", "true");

            page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Staging")).click();
            Locator config = page.locator("form.config");
            assertThat(config.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Configuration in Staging"))).isVisible();
            assertThat(config.locator("input[name=on]")).isChecked();

            config.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add rule")).click();
            Locator rule = config.locator("li.rule").first();
            rule.getByLabel("Attribute").fill("country");
            rule.getByLabel("Values").fill("NO");
            rule.locator("input[name=r0-serve-mode]").last().check(); // the rule serves a rollout too…
            rule.getByLabel("Percentage served true").fill("100");   // …of 100 % true

            Locator fallthrough = config.locator("fieldset.serve").last();
            fallthrough.getByText("a percentage rollout").click();
            fallthrough.getByLabel("Percentage served true").fill("25");
            assertThat(fallthrough.locator("output")).hasText("25 %");
            config.getByLabel("Comment for the audit log").fill("25 % of everyone, all of Norway");
            config.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save Staging")).click();
            assertThat(config.locator("p.notice")).hasText(Pattern.compile("^Saved"));

            JsonNode saved = server.admin().get("/api/v1/projects/default/flags/new-checkout/environments/staging").json().get("config");
            Assertions.assertThat(saved.get("on").asBoolean()).isTrue();
            Assertions.assertThat(saved.at("/rules/0/clauses/0").toString()).contains("\"attribute\":\"country\"", "\"op\":\"in\"", "\"NO\"");
            Assertions.assertThat(saved.at("/fallthrough/rollout/variations").toString())
                    .isEqualTo("[{\"variation\":0,\"weight\":25000},{\"variation\":1,\"weight\":75000}]");

            // the preview and an SDK on a staging token answer alike, for the rule and for the rollout
            DarklaunchClient sdk = client("staging");
            Await.until(SDK_WAIT, "the SDK seeing the change", () -> sdk.boolVariationDetail("new-checkout", Context.of("probe").with("country", "NO"), false)
                    .reason().kind().name().equals("RULE_MATCH"));
            Locator preview = page.locator("form.preview");
            preview.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit as JSON")).click();
            int inRollout = 0;
            for (int i = 0; i < 8; i++) {
                String country = i == 0 ? "NO" : "SE";
                preview.getByLabel("Context key").fill("user-" + i);
                preview.getByLabel("Attributes (JSON)").fill("{\"country\": \"" + country + "\"}");
                preview.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Evaluate")).click();
                EvaluationDetail<Boolean> expected = sdk.boolVariationDetail("new-checkout",
                        Context.of("user-" + i).with("country", country), false);
                assertThat(preview.locator("table.evaluation caption")).containsText("“user-" + i + "”");
                Locator staging = preview.locator("tr[data-env=staging]");
                assertThat(staging.locator("td.value code")).hasText(String.valueOf(expected.value()));
                assertThat(staging).hasAttribute("data-reason-kind", expected.reason().kind().name());
                assertThat(staging).hasAttribute("data-in-rollout", String.valueOf(expected.reason().inRollout()));
                assertThat(staging.locator("td.value")).containsText("variation #" + expected.variationIndex());
                inRollout += expected.value() ? 1 : 0;
                Assertions.assertThat(expected.reason().kind().name()).isEqualTo(i == 0 ? "RULE_MATCH" : "FALLTHROUGH");
            }
            Assertions.assertThat(inRollout).as("users on (the Norwegian one by rule, others 25 %%)").isBetween(1, 8);
            tab.screenshot("flag-detail");

            // every step is in the flag's history, with who and why
            Locator history = page.locator(".audit-list");
            assertThat(history.locator("[data-action='flag.create']")).hasCount(1);
            assertThat(history.locator("[data-action='flag.on']")).hasCount(1);
            Locator update = history.locator("[data-action='flag.config.update']");
            assertThat(update).hasCount(1);
            assertThat(update).containsText("25 % of everyone, all of Norway");
            assertThat(update).containsText("user:admin");
            assertThat(update).containsText("Rule 1 added: country is NO → on");
            assertThat(update).containsText("25 % on");
            update.getByText("Details").click();
            assertThat(update.locator("table.diff")).containsText("fallthrough.rollout.variations[0].weight");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit log")).click();
            assertThat(page.locator(".audit-list [data-action='flag.config.update']")).hasCount(1);
            tab.screenshot("audit-log");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Flags").setExact(true)).click();
            assertThat(page.locator("tr[data-flag=new-checkout] td[data-env=staging] [role=switch]")).hasAttribute("aria-checked", "true");
            tab.screenshot("flags");
            Assertions.assertThat(tab.dialogs()).isEmpty();
        }
    }

    /** The mission loop: a switch flipped in the browser reaches a connected SDK's listener. */
    @Test
    void a_toggle_in_the_ui_reaches_a_connected_sdk() throws InterruptedException {
        given.flag(booleanFlag("dark-feature", "Dark feature"));
        DarklaunchClient sdk = client("production");
        java.util.concurrent.BlockingQueue<Set<String>> changes = new java.util.concurrent.LinkedBlockingQueue<>();
        Await.until(SDK_WAIT, "the SDK seeing the change", () -> sdk.boolVariationDetail("dark-feature", Context.of("u"), true).reason().kind().name().equals("OFF"));
        sdk.addFlagChangeListener(changes::add);

        try (Browser.Tab tab = browser.open("/projects/default/flags")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator toggle = page.locator("tr[data-flag=dark-feature] td[data-env=production] [role=switch]");
            assertThat(toggle).hasAttribute("aria-checked", "false");
            toggle.click();
            // production asks first
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog).containsText("production environment");
            dialog.getByLabel("Comment for the audit log (optional)").fill("release 42 goes live");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Turn on")).click();
            assertThat(toggle).hasAttribute("aria-checked", "true");

            Set<String> changed = changes.poll(30, TimeUnit.SECONDS);
            Assertions.assertThat(changed).as("the SDK's flag-change listener fired").contains("dark-feature");
            Assertions.assertThat(sdk.isEnabled("dark-feature", Context.of("anyone"))).isTrue();

            toggle.click();
            page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Turn off")).click();
            assertThat(toggle).hasAttribute("aria-checked", "false");
            Await.until(SDK_WAIT, "the SDK seeing the change", () -> !sdk.isEnabled("dark-feature", Context.of("anyone")));
            JsonNode audit = server.admin().get("/api/v1/projects/default/audit?flag=dark-feature&environment=production").json();
            Assertions.assertThat(audit.get("items").toString()).contains("release 42 goes live", "flag.on", "flag.off");
        }
    }

    /** RELIABILITY 21: stored markup renders inert; CSP without inline script; CSRF needed. */
    @Test
    void markup_in_flag_data_is_shown_as_text_under_a_strict_policy() {
        String markup = "<img src=x onerror=alert(1)>";
        Http.Response created = server.admin().post("/api/v1/projects/default/flags", Map.of(
                "key", "xss-probe", "name", markup, "kind", "boolean", "description", "<script>alert(2)</script>",
                "tags", List.of("security"), "variations", List.of(Map.of("value", true, "name", "<b>yes</b>"), Map.of("value", false))));
        Assertions.assertThat(created.status()).as("%s", created).isEqualTo(201);

        try (Browser.Tab tab = browser.open("/projects/default/flags?tag=security")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator name = page.locator("tr[data-flag=xss-probe] .flag-name");
            assertThat(name).hasText(markup);
            assertThat(page.locator("main img")).hasCount(0);
            name.click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(markup);
            assertThat(page.locator("p.description")).hasText("<script>alert(2)</script>");
            assertThat(page.locator("ol.variations")).containsText("<b>yes</b>");
            assertThat(page.locator("main img")).hasCount(0);
            assertThat(page.locator("main script")).hasCount(0);
            tab.screenshot("stored-markup");

            // the browser's session cannot write without the CSRF token, even same-origin
            Object status = page.evaluate("async () => (await fetch('/api/v1/projects/default/flags/xss-probe/environments/staging/on',"
                    + " {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'}, body: '{}'})).status");
            Assertions.assertThat(status).isEqualTo(403);
            Assertions.assertThat(tab.dialogs()).as("no script from the data ran").isEmpty();
        }

        Http anonymous = server.admin().as(null);
        for (String path : List.of("/", "/projects/default/flags")) {
            Http.Response page = anonymous.with("Accept", "text/html").get(path);
            Assertions.assertThat(page.status()).isEqualTo(200);
            String csp = page.header("Content-Security-Policy").orElseThrow();
            Assertions.assertThat(csp).contains("script-src 'self'", "default-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            Assertions.assertThat(page.header("X-Frame-Options")).hasValue("DENY");
            Assertions.assertThat(page.header("Cache-Control")).hasValue("no-cache");
            Assertions.assertThat(page.text()).doesNotContainPattern("<script(?![^>]*\\bsrc=)");
        }
    }

    /** RELIABILITY 21 / roles: a viewer sees everything, can change nothing, and the API agrees. */
    @Test
    void a_viewer_can_read_but_not_change() {
        given.flag(booleanFlag("viewer-probe", "Viewer probe"));
        server.user("vera@example.com", "viewer password 0123", "viewer");

        try (Browser.Tab tab = browser.open("/projects/default/flags")) {
            Page page = tab.page();
            tab.signIn("vera@example.com", "viewer password 0123");
            assertThat(page.locator(".who .role")).hasText("viewer");
            Locator toggle = page.locator("tr[data-flag=viewer-probe] td[data-env=staging] [role=switch]");
            assertThat(toggle).isDisabled();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New flag"))).hasCount(0);
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Tokens"))).hasCount(0);
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Users"))).hasCount(0);

            page.locator("tr[data-flag=viewer-probe] .flag-name").click();
            assertThat(page.locator("form.config")).isVisible();
            assertThat(page.locator("form.config input[name=on]")).isDisabled();
            // no greyed editing buttons: one note says what a viewer may do
            assertThat(page.locator("form.config").getByText("Add rule")).isHidden();
            assertThat(page.locator("main .view-only-note")).containsText("You can view; ask an editor or admin to change.");
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete flag"))).hasCount(0);
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit definition"))).hasCount(0);
            assertThat(page.locator("table.envs [role=switch]").first()).isDisabled();

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Environments")).click();
            assertThat(page.locator("li[data-env=production]").getByLabel("Name")).isDisabled();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add environment"))).hasCount(0);
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New project"))).hasCount(0);
            page.goBack();

            // even with a valid CSRF token the server refuses the viewer's write
            Object status = page.evaluate("async () => {"
                    + " const s = await (await fetch('/api/v1/session', {credentials: 'same-origin'})).json();"
                    + " return (await fetch('/api/v1/projects/default/flags/viewer-probe/environments/staging/on', {method: 'POST',"
                    + " credentials: 'same-origin', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken}, body: '{}'})).status; }");
            Assertions.assertThat(status).isEqualTo(403);
            page.navigate("/tokens");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Not allowed"))).isVisible();
            tab.screenshot("viewer-flag");
        }
        Assertions.assertThat(server.admin().get("/api/v1/projects/default/flags/viewer-probe").json().at("/environments/staging/on").asBoolean())
                .isFalse();
    }

    /** Admins create a token (its secret shown once) and revoke it; add a user; sign out. */
    @Test
    void an_admin_manages_tokens_and_users() {
        try (Browser.Tab tab = browser.open("/tokens")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator form = page.locator("form[aria-labelledby=new-token-title]");
            form.getByLabel("Name").fill("checkout service");
            form.getByLabel("Kind").selectOption("sdk");
            form.getByLabel("Production").check();
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create token")).click();
            Locator secret = page.getByTestId("secret");
            assertThat(secret).hasText(Pattern.compile("^dl_sdk_"));
            String sdkToken = secret.textContent();
            Assertions.assertThat(new Http(server.base(), sdkToken).get("/sdk/v1/flags").status()).isEqualTo(200);
            tab.screenshot("tokens");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done")).click();
            assertThat(secret).hasCount(0);

            Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("checkout service"));
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke checkout service")).click();
            page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
            assertThat(row).containsText("revoked");
            Assertions.assertThat(new Http(server.base(), sdkToken).get("/sdk/v1/flags").status()).isEqualTo(401);

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Users")).click();
            Locator users = page.locator("form[aria-labelledby=new-user-title]");
            users.getByLabel("Email").fill("ed@example.com");
            users.getByLabel("Password").fill("editor password 0123");
            users.getByLabel("Role").selectOption("editor");
            users.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add user")).click();
            assertThat(page.locator("tr[data-user='ed@example.com']")).isVisible();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("ed@example.com can now sign in as editor");
            tab.screenshot("users");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
            page.reload();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        }
        given.flag(booleanFlag("phone-layout", "Phone layout"));
        try (Browser.Tab tab = browser.open("/projects/default/flags")) {
            tab.page().setViewportSize(390, 844);
            tab.signIn("ed@example.com", "editor password 0123");
            Page page = tab.page();
            assertThat(page.locator("tr[data-flag=phone-layout] [role=switch]").first()).isEnabled();
            assertThat(page.locator("#nav")).isHidden();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu")).click();
            assertThat(page.locator(".who .role")).hasText("editor");
            tab.screenshot("flags-phone");
        }
    }

    /** Issue test 3: a release along a plan and a rollback, started on the deployments page, reach an SDK. */
    @Test
    void a_release_and_a_rollback_from_the_deployments_page_reach_an_sdk() throws InterruptedException {
        String pipeline = server.token("pipeline", "default", "production");
        Http.Response recorded = new Http(server.base(), pipeline).post("/api/v1/projects/default/deployments", Map.of(
                "service", "checkout", "version", "1.4.2", "environment", "production", "commit", "9f1c2ab",
                "url", "https://ci.example.com/runs/812", "flags", List.of("one-click-pay")));
        Assertions.assertThat(recorded.status()).as("%s", recorded).isEqualTo(201);
        long id = recorded.json().get("id").asLong();
        DarklaunchClient sdk = client("production");
        Await.until(SDK_WAIT, "the SDK seeing the change", () -> sdk.boolVariationDetail("one-click-pay", Context.of("u"), true).reason().kind().name().equals("OFF"));
        java.util.concurrent.BlockingQueue<Set<String>> changes = new java.util.concurrent.LinkedBlockingQueue<>();
        sdk.addFlagChangeListener(changes::add);

        try (Browser.Tab tab = browser.open("/projects/default/deployments?environment=production")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator card = page.locator("li.deployment[data-deployment='" + id + "']");
            assertThat(card).containsText("checkout 1.4.2 → production");
            assertThat(card.locator("[data-flag=one-click-pay] .state")).hasText("off");
            assertThat(card.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("pipeline run")))
                    .hasAttribute("href", "https://ci.example.com/runs/812");

            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Release…")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Step 1 %").fill("10");
            dialog.getByLabel("Step 2 %").fill("50");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove step 3")).click();
            dialog.getByLabel("Step 2 when").fill("after 1 hour");
            dialog.getByLabel("Comment for the audit log (optional)").fill("first 10 % of users");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start release")).click();
            assertThat(card.locator(".plan .pct")).hasText("10 %");
            assertThat(card.locator("[data-flag=one-click-pay] .state")).hasText("on · 10 %");

            Assertions.assertThat(changes.poll(30, TimeUnit.SECONDS)).as("the release reached the SDK").contains("one-click-pay");
            Await.until(SDK_WAIT, "the SDK seeing the change", () -> sdk.boolVariationDetail("one-click-pay", Context.of("u"), false).reason().inRollout());
            long on = java.util.stream.IntStream.range(0, 2000)
                    .filter(i -> sdk.isEnabled("one-click-pay", Context.of("user-" + i))).count();
            Assertions.assertThat(on).as("users on at 10 %%, of 2000").isBetween(120L, 280L);

            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pause release")).click();
            assertThat(card.locator(".plan")).hasAttribute("data-release-state", "paused");
            assertThat(card.locator(".pause-reason")).containsText("paused by");
            assertThat(card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue to 50 %"))).isVisible();
            tab.screenshot("deployments");

            changes.clear();
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Roll back…")).click();
            Locator confirm = page.getByRole(AriaRole.DIALOG);
            confirm.getByLabel("Comment for the audit log (optional)").fill("payment errors up");
            confirm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Roll back")).click();
            assertThat(card.locator("[data-status]")).hasAttribute("data-status", "rolled_back");
            assertThat(card.locator("[data-flag=one-click-pay] .state")).hasText("off");

            Assertions.assertThat(changes.poll(30, TimeUnit.SECONDS)).as("the rollback reached the SDK").contains("one-click-pay");
            Await.until(SDK_WAIT, "the SDK seeing the change", () -> java.util.stream.IntStream.range(0, 2000).noneMatch(i -> sdk.isEnabled("one-click-pay", Context.of("user-" + i))));
            assertThat(page.locator(".timeline-list")).containsText("rolled back");
            tab.screenshot("deployments-rolled-back");
            Assertions.assertThat(tab.dialogs()).isEmpty();
        }
        String audit = server.admin().get("/api/v1/projects/default/audit?deployment=" + id).text();
        Assertions.assertThat(audit).contains("first 10 % of users", "payment errors up", "user:admin");
    }

    /** Issue test 5: a change another client makes over REST shows in an open page without reload. */
    @Test
    void changes_by_others_show_up_live() {
        given.flag(booleanFlag("live-probe", "Live probe"));
        try (Browser.Tab tab = browser.open("/projects/default/flags?q=live-probe")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.locator(".live")).hasText("live");
            Locator toggle = page.locator("tr[data-flag=live-probe] td[data-env=staging] [role=switch]");
            assertThat(toggle).hasAttribute("aria-checked", "false");

            Http.Response flipped = server.admin().post("/api/v1/projects/default/flags/live-probe/environments/staging/on",
                    Map.of("comment", "from the pipeline"));
            Assertions.assertThat(flipped.status()).isEqualTo(200);
            assertThat(toggle).hasAttribute("aria-checked", "true");

            page.locator("tr[data-flag=live-probe] .flag-name").click();
            assertThat(page.locator(".audit-list [data-action='flag.on']")).hasCount(1);
            given.toggle("live-probe", "staging", false, Map.of("comment", "rolled back by hand"));
            assertThat(page.locator("table.envs tr[data-env=staging] [role=switch]")).hasAttribute("aria-checked", "false");
            assertThat(page.locator(".audit-list [data-action='flag.off']")).containsText("rolled back by hand");
        }
    }

    /**
     * The flags page with 500 flags: one list request, every row rendered. The time to the last
     * row is reported (target/screenshots/flags-500.txt), not asserted: the machine is shared.
     */
    @Test
    void the_flags_page_shows_500_flags_from_one_request() throws java.io.IOException {
        List<Map<String, Object>> features = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> Map.<String, Object>of("name", "bulk-%03d".formatted(i), "enabled", i % 3 == 0,
                        "strategies", List.of(Map.of("name", "default"))))
                .toList();
        // in a project of their own, so the other tests' flags stay on the first page of theirs
        Assertions.assertThat(server.admin().post("/api/v1/projects", Map.of("key", "bulk", "name", "Bulk")).status()).isEqualTo(201);
        Http.Response imported = server.admin().post("/api/v1/projects/bulk/import/unleash?environment=development",
                Map.of("version", 2, "features", features));
        Assertions.assertThat(imported.status()).as("%s", imported).isEqualTo(200);

        try (Browser.Tab tab = browser.open("/")) {
            Page page = tab.page();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
            tab.screenshot("sign-in");
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.locator("main h1")).hasText("Flags");

            List<String> listRequests = new CopyOnWriteArrayList<>();
            page.onRequest(request -> {
                if (request.url().contains("/api/v1/projects/bulk/flags")) {
                    listRequests.add(request.url());
                }
            });
            long start = System.nanoTime();
            page.navigate("/projects/bulk/flags");
            assertThat(page.locator("tr[data-flag^='bulk-']")).hasCount(500);
            long millis = (System.nanoTime() - start) / 1_000_000;
            Assertions.assertThat(listRequests).as("the page asks for the list once").hasSize(1);
            assertThat(page.locator("tr[data-flag='bulk-000'] td[data-env=development] [role=switch]")).hasAttribute("aria-checked", "true");
            java.nio.file.Files.createDirectories(Browser.SCREENSHOTS);
            java.nio.file.Files.writeString(Browser.SCREENSHOTS.resolve("flags-500.txt"),
                    "flags page, 500 flags, navigation to last row rendered: " + millis + " ms\n");
            System.out.println("flags page with 500 flags rendered in " + millis + " ms");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Segments")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New segment")).click();
            page.getByLabel("Key").fill("beta-testers");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create segment")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("beta-testers").setLevel(1))).isVisible();
            page.getByLabel("Included keys").fill("user-17\nuser-42");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save Development")).click();
            assertThat(page.locator("p.notice")).hasText("Saved.");
            tab.screenshot("segment");
        }
        Assertions.assertThat(server.admin().get("/api/v1/projects/bulk/segments/beta-testers/environments/development").text())
                .contains("user-17", "user-42");
    }

    /** The UI's routes never stand in for the API, the SDK feed or operations. */
    @Test
    void ui_routes_leave_the_server_paths_alone() {
        Http html = server.admin().as(null).with("Accept", "text/html");
        Assertions.assertThat(html.get("/api/v1/projects").status()).isEqualTo(401);
        Assertions.assertThat(html.get("/api/v1/nothing-here").status()).isEqualTo(401);
        Assertions.assertThat(html.get("/sdk/v1/flags").status()).isEqualTo(401);
        Assertions.assertThat(html.get("/health/live").text()).contains("live");
        Assertions.assertThat(html.get("/metrics").status()).isEqualTo(200);
        Assertions.assertThat(html.get("/assets/missing-0000.js").status()).isEqualTo(404);
        Http.Response index = html.get("/");
        java.util.regex.Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index.text());
        Assertions.assertThat(script.find()).as("index.html loads a hashed script: %s", index.text()).isTrue();
        Http.Response asset = html.get(script.group(1));
        Assertions.assertThat(asset.status()).isEqualTo(200);
        Assertions.assertThat(asset.header("Cache-Control").orElse("")).contains("max-age=31536000", "immutable");
    }

    private static Map<String, Object> booleanFlag(String key, String name) {
        return Map.of("key", key, "name", name, "kind", "boolean", "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

    private static DarklaunchClient client(String environment) {
        DarklaunchClient client = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                        .baseUri(URI.create(server.base()))
                        .sdkToken(server.token("sdk", "default", environment))
                        .initTimeout(Duration.ofSeconds(10)))
                .build());
        clients.add(client);
        return client;
    }
}
