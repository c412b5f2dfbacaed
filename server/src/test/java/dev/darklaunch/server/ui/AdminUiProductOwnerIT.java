package dev.darklaunch.server.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import dev.darklaunch.server.testing.DarklaunchServerTest;
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
 * What a product owner met in the admin UI at desktop and phone widths: the kill switch's
 * confirmation in the flags list, the live indicator outside a project, what a rolled-back or
 * cancelled release shows, sentences with counts, a two-way rollout's other share, and what a
 * rollout's "bucket by" attribute means for contexts without it. Each is checked in the browser
 * and, where something changes, against the server's state.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AdminUiProductOwnerIT {

    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    /**
     * The production switch in the flags list asks first; its dialog lies outside the table, fits
     * the screen at 1366 and 390 px, and works by mouse and by keyboard (Enter or Space on the
     * switch and the buttons, Tab between them, Escape cancels). Turning off turns the flag off.
     */
    @Test
    void the_kill_switch_dialog_in_the_flags_list_fits_the_screen_and_works_by_mouse_and_keyboard() {
        for (int[] size : new int[][]{{1366, 768}, {390, 844}}) {
            int width = size[0];
            int height = size[1];
            String flag = "kill-switch-" + width;
            created(booleanFlag(flag, "Kill switch at " + width + " px, with a name long enough to wrap in a dialog"));
            Assertions.assertThat(server.admin().post(onOff(flag, "production", true), Map.of()).status()).isEqualTo(200);

            try (Browser.Tab tab = browser.open("/projects/default/flags?q=" + flag)) {
                Page page = tab.page();
                page.setViewportSize(width, height);
                tab.signIn("admin", TestServer.ADMIN_PASSWORD);
                Locator toggle = page.locator("tr[data-flag='" + flag + "'] td[data-env=production] [role=switch]");
                Locator dialog = page.getByRole(AriaRole.DIALOG);
                Locator cancel = dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel"));
                Locator turnOff = dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Turn off"));
                assertThat(toggle).hasAttribute("aria-checked", "true");

                // by mouse: it opens outside the table, wraps its text, and both buttons are in sight
                toggle.click();
                assertThat(dialog).containsText("production environment");
                assertInside(cancel, dialog, width, height);
                assertInside(turnOff, dialog, width, height);
                assertThat(page.locator("table.flags dialog")).hasCount(0);
                tab.screenshot("flags-kill-switch-" + width);
                cancel.click();
                assertThat(dialog).hasCount(0);
                assertThat(toggle).hasAttribute("aria-checked", "true");

                // by keyboard: Enter opens, Escape cancels and gives the focus back to the switch
                toggle.focus();
                page.keyboard().press("Enter");
                assertThat(dialog).isVisible();
                page.keyboard().press("Escape");
                assertThat(dialog).hasCount(0);
                assertThat(toggle).isFocused();
                // Space opens, Tab reaches Cancel, Space cancels
                page.keyboard().press("Space");
                assertThat(dialog).isVisible();
                tabTo(page, cancel);
                page.keyboard().press("Space");
                assertThat(dialog).hasCount(0);
                assertThat(toggle).hasAttribute("aria-checked", "true");
                Assertions.assertThat(onInProduction(flag)).as("still on after cancelling").isTrue();
                // Tab reaches Turn off, Enter turns the flag off: in the server, not only on screen
                toggle.focus();
                page.keyboard().press("Enter");
                assertInside(turnOff, dialog, width, height);
                tabTo(page, turnOff);
                page.keyboard().press("Enter");
                assertThat(dialog).hasCount(0);
                assertThat(toggle).hasAttribute("aria-checked", "false");
                assertThat(toggle).isFocused(); // the keyboard user is where they were
                Assertions.assertThat(onInProduction(flag)).as("turned off by keyboard").isFalse();

                // and back on by mouse
                toggle.click();
                Locator turnOn = dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Turn on"));
                assertInside(turnOn, dialog, width, height);
                turnOn.click();
                assertThat(toggle).hasAttribute("aria-checked", "true");
                Assertions.assertThat(onInProduction(flag)).as("turned on by mouse").isTrue();
                Assertions.assertThat(tab.dialogs()).isEmpty();
            }
            String audit = server.admin().get("/api/v1/projects/default/audit?flag=" + flag + "&environment=production").text();
            Assertions.assertThat(audit).contains("flag.off");
        }
    }

    /** The header's live indicator on the admin pages outside a project, while the server is up. */
    @Test
    void the_live_indicator_says_live_on_the_tokens_and_users_pages() {
        try (Browser.Tab tab = browser.open("/tokens")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Tokens").setLevel(1))).isVisible();
            assertThat(page.locator(".live")).hasText("live");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Users")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Users").setLevel(1))).isVisible();
            assertThat(page.locator(".live")).hasText("live");
            page.navigate("/users");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Users").setLevel(1))).isVisible();
            assertThat(page.locator(".live")).hasText("live");
            tab.screenshot("users-live");
        }
    }

    /**
     * A release that completed at 25 % and was rolled back, and a plan cancelled by a rollback
     * before its 50 % step: each card says it was rolled back, its bar shows what is served now
     * (nothing), and no step that will never come is listed as due.
     */
    @Test
    void a_rolled_back_release_and_a_cancelled_plan_show_what_is_served_now() {
        Http pipeline = new Http(server.base(), server.token("pipeline", "default", "production"));
        long completed = deployment(pipeline, "search", "3.0.0", List.of("fuzzy-ranking"));
        Assertions.assertThat(pipeline.post(deploymentPath(completed) + "/release",
                Map.of("steps", List.of(Map.of("percentage", 25)))).json().at("/release/state").asText()).isEqualTo("completed");
        long cancelled = deployment(pipeline, "cart", "5.1.0", List.of("saved-carts"));
        Assertions.assertThat(pipeline.post(deploymentPath(cancelled) + "/release", Map.of("steps", List.of(
                Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1H")))).json().at("/release/state").asText()).isEqualTo("running");
        for (long id : new long[]{completed, cancelled}) {
            Assertions.assertThat(pipeline.post(deploymentPath(id) + "/rollback", Map.of("comment", "errors up")).status()).isEqualTo(200);
        }

        try (Browser.Tab tab = browser.open("/projects/default/deployments?environment=production")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator first = page.locator("li.deployment[data-deployment='" + completed + "']");
            assertThat(first.locator("[data-flag=fuzzy-ranking] .state")).hasText("off");
            Locator plan = first.locator(".plan");
            assertThat(plan.locator(".plan-state")).hasText(Pattern.compile("^Rolled back: its flag is off"));
            assertThat(plan).not().containsText("completed at");
            assertThat(plan.getByRole(AriaRole.PROGRESSBAR)).hasAttribute("aria-valuenow", "0");
            assertThat(plan.locator(".steps li")).hasText(Pattern.compile("^25 % · applied "));

            Locator second = page.locator("li.deployment[data-deployment='" + cancelled + "']");
            Locator steps = second.locator(".plan .steps li");
            assertThat(steps).hasCount(2);
            assertThat(steps.nth(0)).hasText(Pattern.compile("^10 % · applied "));
            assertThat(steps.nth(1)).hasText("50 % · cancelled");
            assertThat(second.locator(".plan")).not().containsText("due");
            assertThat(second.locator(".plan .plan-state")).hasText(Pattern.compile("^Rolled back: its flag is off"));
            assertThat(second.locator(".plan").getByRole(AriaRole.PROGRESSBAR)).hasAttribute("aria-valuenow", "0");
            tab.screenshot("deployments-rolled-back-plans");
        }
    }

    /** Sentences with a count agree with it: one flag "is", two flags "are". */
    @Test
    void sentences_with_a_count_agree_with_it() {
        Http pipeline = new Http(server.base(), server.token("pipeline", "default", "production"));
        long one = deployment(pipeline, "mail", "1.0.0", List.of("digest-mails"));
        long two = deployment(pipeline, "mail", "1.1.0", List.of("digest-mails", "mail-preview"));

        try (Browser.Tab tab = browser.open("/projects/default/deployments?service=mail")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            Locator single = page.locator("li.deployment[data-deployment='" + one + "']");
            single.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Roll back…")).click();
            assertThat(dialog).containsText("Its 1 flag (digest-mails) is switched off in one change");
            tab.screenshot("deployment-rollback-one-flag");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
            single.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report failed…")).click();
            assertThat(dialog.locator(".policy-warning")).containsText("its 1 flag (digest-mails) will be switched off at once");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();

            Locator pair = page.locator("li.deployment[data-deployment='" + two + "']");
            pair.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Roll back…")).click();
            assertThat(dialog).containsText("Its 2 flags (digest-mails, mail-preview) are switched off in one change");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
            pair.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report failed…")).click();
            assertThat(dialog.locator(".policy-warning")).containsText("its 2 flags (digest-mails, mail-preview) will be switched off at once");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
            assertThat(dialog).hasCount(0);
        }
    }

    /** In a two-way rollout, the other share follows each keystroke, before the field is left. */
    @Test
    void the_other_share_of_a_two_way_rollout_follows_as_you_type() {
        created(booleanFlag("two-way", "Two-way rollout"));
        try (Browser.Tab tab = browser.open("/projects/default/flags/two-way?env=staging")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator fallthrough = page.locator("form.config fieldset.serve").last();
            fallthrough.getByText("a percentage rollout").click();
            Locator onShare = fallthrough.getByLabel("Percent true");
            Locator offShare = fallthrough.getByLabel("Percent false");
            assertThat(onShare).hasValue("100");
            onShare.selectText();
            onShare.pressSequentially("30");
            assertThat(offShare).hasValue("70");
            assertThat(fallthrough.locator("output")).hasText("30 %");
            assertThat(onShare).isFocused();
            onShare.selectText();
            onShare.pressSequentially("12.5");
            assertThat(offShare).hasValue("87.5");
            assertThat(onShare).hasValue("12.5");
            assertThat(onShare).isFocused();
            // and the other way round
            offShare.selectText();
            offShare.pressSequentially("60");
            assertThat(onShare).hasValue("40");
            assertThat(offShare).isFocused();
            tab.screenshot("flag-two-way-rollout");

            page.locator("form.config").getByLabel("Comment for the audit log").fill("40 % on");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save Staging")).click();
            assertThat(page.locator("form.config p.notice")).hasText(Pattern.compile("^Saved"));
        }
        Assertions.assertThat(server.admin().get("/api/v1/projects/default/flags/two-way/environments/staging").json()
                        .at("/config/fallthrough/rollout/variations").toString())
                .isEqualTo("[{\"variation\":0,\"weight\":40000},{\"variation\":1,\"weight\":60000}]");
    }

    /**
     * Where a rollout's "bucket by" attribute is chosen, the page says what happens to contexts
     * without it: a rule does not match them (the next rule decides); the default rule serves
     * them the off variation.
     */
    @Test
    void the_bucket_by_field_says_what_happens_to_contexts_without_the_attribute() {
        created(booleanFlag("by-org", "Rolled out by organisation"));
        try (Browser.Tab tab = browser.open("/projects/default/flags/by-org?env=staging")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator config = page.locator("form.config");
            config.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add rule")).click();
            Locator rule = config.locator("li.rule").first();
            rule.locator("input[name=r0-serve-mode]").last().check();
            rule.getByLabel("Bucket by attribute").fill("org");
            assertThat(rule.getByLabel("Bucket by attribute")).hasAccessibleDescription(Pattern.compile(
                    "Contexts without this attribute are never in the rollout: this rule does not match them, and the next rule decides\\."));

            Locator fallthrough = config.locator("fieldset.serve").last();
            fallthrough.getByText("a percentage rollout").click();
            fallthrough.getByLabel("Bucket by attribute").fill("org");
            assertThat(fallthrough.getByLabel("Bucket by attribute")).hasAccessibleDescription(Pattern.compile(
                    "Contexts without this attribute are never in the rollout: they get the off variation, false\\."));
            tab.screenshot("flag-rollout-bucket-by");
        }
    }

    private static void assertInside(Locator inner, Locator outer, int width, int height) {
        assertThat(inner).isVisible();
        BoundingBox box = inner.boundingBox();
        BoundingBox frame = outer.boundingBox();
        String what = inner + " in " + frame.x + "," + frame.y + " " + frame.width + "×" + frame.height + " at " + width + "×" + height;
        Assertions.assertThat(box.x).as("left of %s", what).isGreaterThanOrEqualTo(Math.max(0, frame.x) - 0.5);
        Assertions.assertThat(box.y).as("top of %s", what).isGreaterThanOrEqualTo(Math.max(0, frame.y) - 0.5);
        Assertions.assertThat(box.x + box.width).as("right of %s", what).isLessThanOrEqualTo(Math.min(width, frame.x + frame.width) + 0.5);
        Assertions.assertThat(box.y + box.height).as("bottom of %s", what).isLessThanOrEqualTo(Math.min(height, frame.y + frame.height) + 0.5);
    }

    /** Presses Tab until the target has the focus (within a few presses: the dialog holds three controls). */
    private static void tabTo(Page page, Locator target) {
        for (int i = 0; i < 6 && !Boolean.TRUE.equals(target.evaluate("element => element === document.activeElement")); i++) {
            page.keyboard().press("Tab");
        }
        assertThat(target).isFocused();
    }

    private static boolean onInProduction(String flag) {
        return server.admin().get("/api/v1/projects/default/flags/" + flag).json().at("/environments/production/on").asBoolean();
    }

    private static String onOff(String flag, String environment, boolean on) {
        return "/api/v1/projects/default/flags/" + flag + "/environments/" + environment + (on ? "/on" : "/off");
    }

    private static long deployment(Http pipeline, String service, String version, List<String> flags) {
        Http.Response recorded = pipeline.post("/api/v1/projects/default/deployments", Map.of(
                "service", service, "version", version, "environment", "production", "flags", flags));
        Assertions.assertThat(recorded.status()).as("%s", recorded).isEqualTo(201);
        return recorded.json().get("id").asLong();
    }

    private static String deploymentPath(long id) {
        return "/api/v1/projects/default/deployments/" + id;
    }

    private static void created(Map<String, Object> flag) {
        Http.Response created = server.admin().post("/api/v1/projects/default/flags", flag);
        Assertions.assertThat(created.status()).as("%s", created).isEqualTo(201);
    }

    private static Map<String, Object> booleanFlag(String key, String name) {
        return Map.of("key", key, "name", name, "kind", "boolean", "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }
}
