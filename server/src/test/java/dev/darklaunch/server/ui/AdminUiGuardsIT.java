package dev.darklaunch.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import dev.darklaunch.server.Config;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.GuardSamples;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.TestServer;
import dev.darklaunch.server.webhooks.WebhookSettings;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * A guarded release's live chart on its deployment card — both arms, the always-valid interval of
 * the difference, the tolerance line, the sample against the minimum, the same in its accessible
 * sentence — from samples inserted straight into the guards' tables as SDK reports add up, then
 * a regression that the card shows rolled back, with the server's evidence sentence. And the
 * webhooks page: a webhook created with its secret shown once, a delivery to a real receiver on
 * loopback in its log, sent again from there; a refused URL marked on its field; viewers told why
 * they see none. Each new view is checked with axe-core.
 */
@DarklaunchServerTest(adminPassword = true, config = "webhooksToLoopback")
@ExtendWith(BrowserExtension.class)
class AdminUiGuardsIT {

    private static final String P = "/api/v1/projects/default";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    private static HttpServer receiver;
    private static final List<String> received = new CopyOnWriteArrayList<>();

    /** The test's own receiver listens on loopback, which webhooks refuse unless allowed; quick polls and retries. */
    static Config webhooksToLoopback(Config config) {
        return config.withWebhooks(WebhookSettings.DEFAULTS.withPrivateAddresses(true)
                .withRetries(Duration.ofMillis(100), Duration.ofMillis(800)).withPoll(Duration.ofMillis(100)));
    }

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                received.add(exchange.getRequestHeaders().getFirst("X-Darklaunch-Delivery"));
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void a_guards_chart_shows_both_arms_the_interval_and_the_threshold_and_then_the_rollback_and_why() throws Exception {
        String flag = "guarded-pay";
        long id = Fixtures.succeeded(server.admin().post(P + "/deployments", Map.of("service", "checkout", "version", "1.4.2",
                "environment", "production", "flags", List.of(flag), "status", "succeeded"))).get("id").asLong();
        new Fixtures(server.admin()).release(id, Map.of(
                "steps", List.of(Map.of("percentage", 10), Map.of("percentage", 50, "after", "PT1H"), Map.of("percentage", 100, "after", "PT1H")),
                "guards", List.of(Map.of("metric", Map.of("kind", "rate", "event", "error"), "minSample", 1000, "action", "rollback"))));
        // A/A so far: one per cent errors in both arms
        samples(flag, 2_000, 20, 18_000, 180);
        Await.until(WAIT, "the guard looks at the samples", () -> "no_regression".equals(
                server.admin().get(P + "/deployments/" + id).json().at("/release/guards/0/state/verdict").asText()));

        List<String> problems = new ArrayList<>();
        try (Browser.Tab tab = browser.open("/projects/default/deployments?environment=production", true)) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator card = page.locator("li.deployment[data-deployment='" + id + "']");
            Locator guard = card.locator("li.guard[data-guard='error']");
            assertThat(guard.locator(".guard-outcome")).hasText("No regression so far");
            Locator chart = guard.locator("svg.guard-chart");
            assertThat(chart).hasAttribute("role", "img");
            assertThat(chart.locator("[data-arm='control'] rect")).hasCount(1);
            assertThat(chart.locator("[data-arm='treatment'] rect")).hasCount(1);
            assertThat(chart.locator("[data-arm='control'] .value")).hasText("1.00 %");
            assertThat(chart.locator("[data-arm='treatment'] .value")).hasText("1.00 %");
            assertThat(chart.locator("line.interval")).hasCount(1);
            assertThat(chart.locator("line.interval-end")).hasCount(2);
            assertThat(chart.locator("line.threshold")).hasAttribute("data-threshold", "0.00 points");
            assertThat(chart.locator(".threshold-label")).hasText("tolerated 0.00 points");
            assertThat(chart.locator(".sample .value")).hasText(new String[] {"18,000 of 1,000", "2,000 of 1,000"});
            assertThat(chart).hasAttribute("aria-label", Pattern.compile("^Guard ‘error’ on error per exposure: 1\\.00 % with the release "
                    + "against 1\\.00 % without\\. Difference [−+]?\\d\\.\\d\\d points \\(interval [−+]?\\d\\.\\d\\d points to \\+\\d\\.\\d\\d points\\); "
                    + "the interval does not lie wholly beyond the tolerated 0\\.00 points\\. "
                    + "Samples: 2,000 with the release and 18,000 without, of 1,000 needed per arm\\.$"));
            // the same sentences as text for screen readers (described-by), hidden from sight
            assertThat(page.locator("#" + chart.getAttribute("aria-describedby"))).containsText("Samples: 2,000 with the release");
            Assertions.assertThat(chart.boundingBox().width).as("the chart is drawn at a readable size").isGreaterThan(300);
            AccessibilityIT.check(page, "a guard's chart", problems);
            tab.screenshot("guard-chart");

            // more samples, no change recorded anywhere: the chart follows the guard's looks by itself
            samples(flag, 1_000, 10, 9_000, 90);
            assertThat(chart.locator(".sample .value")).hasText(new String[] {"27,000 of 1,000", "3,000 of 1,000"},
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(WAIT.toMillis()));

            // the treatment now fails far more often: the guard rolls the release back, and the card says so and why
            samples(flag, 2_000, 200, 18_000, 180);
            assertThat(guard.locator(".guard-outcome")).hasText("Regression: rolled back", new com.microsoft.playwright.assertions
                    .LocatorAssertions.HasTextOptions().setTimeout(WAIT.toMillis()));
            assertThat(card.locator(".title-row .badge")).hasText("rolled back");
            assertThat(guard.locator(".guard-summary")).hasText(Pattern.compile("^guard 'error' found a regression on " + flag
                    + ": error per exposure 4\\.60 % with the release against 1\\.00 % without .*always-valid interval .* beyond the tolerated"));
            assertThat(guard).hasAttribute("data-verdict", "regression");
            assertThat(chart).hasAttribute("aria-label", Pattern.compile("4\\.60 % with the release against 1\\.00 % without\\. .*"
                    + "the whole interval lies beyond the tolerated 0\\.00 points"));
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
            AccessibilityIT.check(page, "a guard's chart after a rollback, dark", problems);
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(com.microsoft.playwright.options.ColorScheme.LIGHT));
            tab.screenshot("guard-chart-rolled-back");
            page.setViewportSize(390, 844);
            Assertions.assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling at phone width").isLessThanOrEqualTo(390);
            AccessibilityIT.check(page, "a guard's chart at phone width", problems);
        }
        JsonNode after = server.admin().get(P + "/deployments/" + id).json();
        Assertions.assertThat(after.get("status").asText()).isEqualTo("rolled_back");
        Assertions.assertThat(after.at("/release/guards/0/state/verdict").asText()).isEqualTo("regression");
        Assertions.assertThat(problems).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    @Test
    void a_webhook_created_in_the_browser_shows_its_secret_once_logs_a_delivery_and_sends_it_again() {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        List<String> problems = new ArrayList<>();
        try (Browser.Tab tab = browser.open("/projects/default/flags", true)) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Webhooks")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Webhooks").setLevel(1))).isVisible();
            assertThat(page.locator(".empty")).hasText("No webhooks yet.");

            // a refused URL is marked on its field, with the server's words
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New webhook…")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Name").fill("ops");
            dialog.getByLabel("URL").fill("http://user:secret@127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create webhook")).click();
            assertThat(dialog.locator(".field-error")).hasText("url must not carry a user name or password; the signature authenticates deliveries");
            assertThat(dialog.getByLabel("URL")).hasAttribute("aria-invalid", "true");
            AccessibilityIT.check(page, "the new webhook dialog with a refused URL", problems);

            dialog.getByLabel("URL").fill(url);
            dialog.getByLabel("what guards did").uncheck();
            dialog.getByLabel("Slack (a sentence)").check();
            dialog.getByLabel("JSON (the event, before and after)").check();
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create webhook")).click();
            Locator secret = page.locator(".card.secret");
            assertThat(secret).containsText("Store the signing secret now");
            String shown = secret.getByTestId("webhook-secret").textContent();
            Assertions.assertThat(shown).startsWith("whsec_");
            assertThat(secret.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Copy secret"))).isVisible();
            AccessibilityIT.check(page, "a webhook's secret shown once", problems);
            tab.screenshot("webhook-secret");

            JsonNode listed = server.admin().get(P + "/webhooks").json().at("/items/0");
            Assertions.assertThat(listed.get("url").asText()).isEqualTo(url);
            Assertions.assertThat(listed.get("format").asText()).isEqualTo("json");
            List<String> events = new ArrayList<>();
            listed.get("events").forEach(e -> events.add(e.asText()));
            Assertions.assertThat(events).containsExactlyInAnyOrder("flags", "segments", "environments", "deployments");
            Assertions.assertThat(listed.toString()).doesNotContain(shown);

            secret.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Done")).click();
            page.reload();
            Locator webhook = page.locator("li.webhook[data-webhook='" + listed.get("id").asLong() + "']");
            assertThat(webhook).containsText("ops");
            Assertions.assertThat(page.content()).as("the secret is never shown again").doesNotContain(shown);

            // a change to a flag is delivered; the log shows the attempt; it is sent again from there
            new Fixtures(server.admin()).booleanFlag("hooked-flag");
            Await.until(WAIT, "the receiver gets the flag's creation", () -> !received.isEmpty());
            Await.until(WAIT, "the attempt is in the log", () -> server.admin().get(P + "/webhooks/" + listed.get("id").asLong()
                    + "/deliveries").json().get("items").size() > 0);
            webhook.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deliveries")).click();
            Locator created = webhook.locator(".deliveries tbody tr", new Locator.LocatorOptions().setHasText("flag.create"));
            assertThat(created.first().locator(".outcome")).containsText("delivered · 204");
            AccessibilityIT.check(page, "a webhook's delivery log", problems);
            tab.screenshot("webhooks");
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
            AccessibilityIT.check(page, "a webhook's delivery log, dark", problems);
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(com.microsoft.playwright.options.ColorScheme.LIGHT));
            page.setViewportSize(390, 844);
            AccessibilityIT.check(page, "a webhook's delivery log at phone width", problems);
            Assertions.assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling of the page at phone width (the log scrolls in its own box)").isLessThanOrEqualTo(390);
            page.setViewportSize(1280, 900);

            int before = received.size();
            created.last().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(Pattern.compile("^Redeliver event \\d+$"))).click();
            assertThat(webhook.locator(".deliveries [role=status]")).hasText(Pattern.compile("^Sent event \\d+ again: delivered \\(204\\)\\.$"));
            assertThat(webhook.locator(".deliveries tbody tr").first()).containsText("(sent again)");
            Await.until(WAIT, "the receiver gets it again", () -> received.size() > before);
            Assertions.assertThat(received.stream().distinct().count()).as("sent again with the delivery id it had: " + received)
                    .isLessThan(received.size());
            tab.screenshot("webhook-deliveries");

            // disabled and enabled again from the list
            webhook.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable")).click();
            assertThat(webhook.locator(".title-row .badge")).hasText("disabled");
            Assertions.assertThat(server.admin().get(P + "/webhooks").json().at("/items/0/enabled").asBoolean()).isFalse();
            webhook.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enable")).click();
            assertThat(webhook.locator(".title-row .badge")).hasText("enabled");

            // a rotated secret is shown once too; deleting asks first
            webhook.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate secret…")).click();
            page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate secret")).click();
            assertThat(page.locator(".card.secret h2")).hasText("New secret for “ops”");
            Assertions.assertThat(page.locator(".card.secret").getByTestId("webhook-secret").textContent()).startsWith("whsec_").isNotEqualTo(shown);
        }

        server.user("vic@example.com", "viewer-password-1", "viewer");
        try (Browser.Tab tab = browser.open("/projects/default/webhooks", true)) {
            Page page = tab.page();
            tab.signIn("vic@example.com", "viewer-password-1");
            assertThat(page.locator("main [role=note]")).containsText("Only editors and admins can see and change webhooks");
            assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Webhooks"))).hasCount(0);
            Assertions.assertThat(page.content()).doesNotContain("127.0.0.1");
            AccessibilityIT.check(page, "webhooks for a viewer", problems);
        }
        Assertions.assertThat(problems).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    /** Exposures of both arms and the error events among them in production, this minute, in one transaction. */
    private static void samples(String flag, long treatmentExposures, long treatmentErrors, long controlExposures, long controlErrors)
            throws Exception {
        new GuardSamples(server).errors("production", flag, treatmentExposures, treatmentErrors, controlExposures, controlErrors);
    }
}
