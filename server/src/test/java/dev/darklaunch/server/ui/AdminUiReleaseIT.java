package dev.darklaunch.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.darklaunch.server.Config;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Releases planned and shown in words ("in 10 minutes", "after 1 hour", "at 09:00 tomorrow
 * (Europe/Oslo)"), a completed or paused release continued from its card, and the clean-up of
 * stale temporary flags — judged on the server's clock, here moved 40 days forward, so a flag
 * evaluated just now is "unused for 40 days" whatever the browser's clock says. Each is checked
 * in the browser and through the API, and the new views with axe-core.
 */
@DarklaunchServerTest(adminPassword = true, config = "fortyDaysLater")
@ExtendWith(BrowserExtension.class)
class AdminUiReleaseIT {

    private static final String P = "/api/v1/projects/default";

    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    static Config fortyDaysLater(Config config) {
        return config.withClockOffset(Duration.ofDays(40));
    }

    @Test
    void a_step_entered_as_in_ten_minutes_is_planned_ten_minutes_ahead_and_shown_in_words() {
        long id = deployment("words", "1.0.0", "words-flag");
        List<String> problems = new ArrayList<>();
        try (Browser.Tab tab = browser.open("/projects/default/deployments?environment=production&zone=Europe/Oslo", true)) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator card = page.locator("li.deployment[data-deployment='" + id + "']");
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Release…")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog).containsText("Times are in Europe/Oslo");
            dialog.getByLabel("Step 1 %").fill("1");
            dialog.getByLabel("Step 1 when").fill("now");
            dialog.getByLabel("Step 2 %").fill("10");

            // what cannot be read says so under the field, and the release does not start
            dialog.getByLabel("Step 2 when").fill("soonish");
            assertThat(dialog.locator("#when-reading-1")).hasText("“soonish” is not understood; write “in 10 minutes”, “after 1 hour” or “at 09:00 tomorrow”.");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start release")).click();
            assertThat(dialog.locator(".error")).containsText("Step 2: “soonish” is not understood");
            Assertions.assertThat(server.admin().get(P + "/deployments/" + id).json().has("release")).isFalse();

            dialog.getByLabel("Step 2 when").fill("in 10 minutes");
            assertThat(dialog.locator("#when-reading-1")).hasText(Pattern.compile(
                    "^in 10 minutes, at \\d\\d:\\d\\d (today|tomorrow) \\(Europe/Oslo\\)$"));
            dialog.getByLabel("Step 3 %").fill("100");
            dialog.getByLabel("Step 3 when").fill("after 1 hour");
            assertThat(dialog.locator("#when-reading-2")).hasText("after 1 hour, counted from the step before");
            AccessibilityIT.check(page, "release dialog", problems);
            tab.screenshot("release-dialog-in-words");
            Instant before = Instant.now();
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start release")).click();
            assertThat(card.locator(".plan .pct")).hasText("1 %");
            Instant after = Instant.now();

            JsonNode steps = server.admin().get(P + "/deployments/" + id).json().at("/release/steps");
            Instant at = Instant.parse(steps.get(1).get("at").asText());
            Assertions.assertThat(at).as("step 2, planned “in 10 minutes”")
                    .isBetween(before.plus(Duration.ofMinutes(10)).minusSeconds(2), after.plus(Duration.ofMinutes(10)).plusSeconds(2));
            Assertions.assertThat(steps.get(2).get("after").asText()).isEqualTo("PT1H");

            Locator shown = card.locator(".plan .steps li");
            assertThat(shown.nth(0)).hasText(Pattern.compile("^1 % · applied at \\d\\d:\\d\\d today \\(Europe/Oslo\\)$"));
            assertThat(shown.nth(1)).hasText(Pattern.compile("^10 % · in (9|10) minutes, at \\d\\d:\\d\\d (today|tomorrow) \\(Europe/Oslo\\)$"));
            assertThat(shown.nth(2)).hasText("100 % · after 1 hour the step before");
            assertThat(card.locator(".plan")).not().containsText("PT");
            assertThat(card.locator(".plan-state")).containsText(Pattern.compile("next step in (9|10) minutes"));
            AccessibilityIT.check(page, "deployments with a plan in words", problems);
            tab.screenshot("release-plan-in-words");
        }
        Assertions.assertThat(problems).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    @Test
    void a_release_completed_at_25_percent_continues_to_100_percent_and_a_paused_one_continues_to_its_next_step() {
        long finished = deployment("search", "2.0.0", "finished-flag");
        Fixtures.expect(200, server.admin().post(P + "/deployments/" + finished + "/release", Map.of("steps", List.of(Map.of("percentage", 25)))));
        long paused = deployment("cart", "2.0.0", "paused-flag");
        Fixtures.expect(200, server.admin().post(P + "/deployments/" + paused + "/release", Map.of("steps", List.of(
                Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1H")))));
        Fixtures.expect(200, server.admin().post(P + "/deployments/" + paused + "/release/pause", Map.of()));

        List<String> problems = new ArrayList<>();
        try (Browser.Tab tab = browser.open("/projects/default/deployments?environment=production", true)) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator card = page.locator("li.deployment[data-deployment='" + finished + "']");
            assertThat(card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue to 50 %"))).isVisible();
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue to 100 %")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog).containsText("The release completed at 25 %");
            assertThat(dialog.getByLabel("Step 1 when")).hasValue("now");
            dialog.getByLabel("Comment for the audit log (optional)").fill("no errors at 25 %");
            AccessibilityIT.check(page, "continue dialog", problems);
            tab.screenshot("release-continue-dialog");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue to 100 %")).click();
            assertThat(dialog).hasCount(0);
            assertThat(card.locator(".plan .pct")).hasText("100 %");
            assertThat(card.locator("[data-flag=finished-flag] .state")).hasText("on · 100 %");

            JsonNode release = server.admin().get(P + "/deployments/" + finished).json().get("release");
            Assertions.assertThat(release.get("state").asText()).isEqualTo("completed");
            Assertions.assertThat(release.get("percentage").asDouble()).isEqualTo(100.0);
            Assertions.assertThat(release.get("steps")).as("25 % then 100 %").hasSize(2);
            Assertions.assertThat(server.admin().get(P + "/audit?deployment=" + finished).json().get("items").findValuesAsText("comment"))
                    .contains("no errors at 25 %");
            assertThat(card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(Pattern.compile("^Continue")))).hasCount(0);

            Locator pausedCard = page.locator("li.deployment[data-deployment='" + paused + "']");
            pausedCard.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue to 50 %")).click();
            assertThat(pausedCard.locator(".plan")).hasAttribute("data-release-state", "running");
            Assertions.assertThat(server.admin().get(P + "/deployments/" + paused).json().at("/release/state").asText()).isEqualTo("running");
            tab.screenshot("release-continued");
        }
        Assertions.assertThat(problems).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    @Test
    void stale_flags_are_judged_on_the_server_clock_and_the_chosen_ones_are_archived_together() {
        Fixtures given = new Fixtures(server.admin());
        for (String key : List.of("stale-evaluated", "stale-never", "stale-spare")) {
            given.flag(flag(key, "temporary"));
        }
        given.flag(flag("kept-permanent", "permanent"));
        String sdk = server.token("sdk", "default", "production");
        Assertions.assertThat(server.admin().as(sdk).post("/sdk/v1/metrics", Map.of("flags", Map.of(
                "stale-evaluated", Map.of("0", 5), "stale-spare", Map.of("0", 1), "kept-permanent", Map.of("0", 2)))).status()).isEqualTo(202);

        List<String> problems = new ArrayList<>();
        try (Browser.Tab tab = browser.open("/projects/default/flags", true)) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.locator("tr[data-flag=kept-permanent]")).isVisible();
            page.getByLabel("only stale temporary flags").check();
            assertThat(page.locator("tr[data-flag=stale-evaluated] .badge.stale")).hasText("unused for 40 days");
            assertThat(page.locator("tr[data-flag=stale-never] .badge.stale")).hasText("no SDK reports yet");
            assertThat(page.locator("tr[data-flag=kept-permanent]")).hasCount(0);
            page.getByLabel("Order").selectOption("unused");
            Assertions.assertThat(page.url()).contains("stale=true").contains("sort=unused");

            page.getByLabel("Select Stale evaluated").check();
            page.getByLabel("Select Stale never").check();
            Locator bar = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Clean up stale flags"));
            assertThat(bar).containsText("2 flags selected");
            AccessibilityIT.check(page, "stale flags with the bulk bar", problems);
            tab.screenshot("flags-stale");
            bar.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Archive selected…")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog.locator(".bulk-list li")).hasCount(2);
            assertThat(dialog).containsText("stale-evaluated");
            assertThat(dialog).containsText("stale-never");
            dialog.getByLabel("Comment for the audit log (optional)").fill("cleaned up after the launch");
            AccessibilityIT.check(page, "bulk archive confirmation", problems);
            tab.screenshot("flags-bulk-archive");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Archive 2 flags")).click();
            assertThat(page.locator(".notice")).hasText("2 flags archived.");
            assertThat(page.locator("tr[data-flag=stale-evaluated]")).hasCount(0);
            assertThat(page.locator("tr[data-flag=stale-spare]")).isVisible();
        }
        for (String key : List.of("stale-evaluated", "stale-never")) {
            Assertions.assertThat(archived(key)).as(key).isTrue();
            Assertions.assertThat(server.admin().get(P + "/audit?flag=" + key).json().get("items").findValuesAsText("comment"))
                    .as(key).contains("cleaned up after the launch");
        }
        Assertions.assertThat(archived("stale-spare")).as("not selected").isFalse();
        Assertions.assertThat(archived("kept-permanent")).isFalse();
        Assertions.assertThat(problems).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    private static boolean archived(String key) {
        return server.admin().get(P + "/flags/" + key).json().get("archived").asBoolean();
    }

    private static Map<String, Object> flag(String key, String lifecycle) {
        String name = Character.toUpperCase(key.charAt(0)) + key.substring(1).replace('-', ' ');
        return Map.of("key", key, "name", name, "kind", "boolean", "lifecycle", lifecycle,
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

    private static long deployment(String service, String version, String flag) {
        Http pipeline = new Http(server.base(), server.token("pipeline", "default", "production"));
        Http.Response recorded = pipeline.post(P + "/deployments", Map.of(
                "service", service, "version", version, "environment", "production", "flags", List.of(flag)));
        Assertions.assertThat(recorded.status()).as("%s", recorded).isEqualTo(201);
        return recorded.json().get("id").asLong();
    }
}
