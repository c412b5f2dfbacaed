package dev.darklaunch.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * An automated accessibility check of the admin UI's pages with axe-core (the copy npm installs
 * in admin-ui/node_modules, so it runs offline): no serious or critical violation on any main
 * page (light at desktop width, dark at phone width), nor in the flag definition dialog, a
 * rollout editor or the production switch's confirmation. The page is opened with its Content
 * Security Policy bypassed, only so that axe's script can be injected.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AccessibilityIT {

    private static final Path AXE = Paths.get(System.getProperty("darklaunch.axe", "../admin-ui/node_modules/axe-core/axe.min.js"));

    /** Runs axe on the document; returns its violations as JSON. */
    private static final String RUN_AXE = """
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(result.violations
                .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\s+/g, ' ')) })));
            }""";

    @Given
    private static TestServer server;
    @Given
    private static Browser browser;
    private static String axe;

    @BeforeAll
    static void start() throws IOException {
        axe = Files.readString(AXE);
        Fixtures given = new Fixtures(server.admin());
        given.flag(Map.of("key", "a11y-flag", "name", "Accessible flag", "kind", "boolean",
                "tags", List.of("checkout"), "variations", List.of(Map.of("value", true), Map.of("value", false))));
        given.segment(Map.of("key", "staff", "name", "Staff", "description", "Everyone at the company"));
        given.deployment(Map.of("service", "checkout", "version", "1.0.0",
                "environment", "production", "flags", List.of("a11y-flag")));
    }

    @Test
    void the_main_pages_have_no_serious_or_critical_violations() {
        List<String> problems = new ArrayList<>();
        try (Browser.Tab tab = browser.open("/", true)) {
            Page page = tab.page();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
            // the check can fail: an image without a text alternative, planted for a moment, is found
            page.evaluate("() => { const img = document.createElement('img'); img.id = 'planted'; img.src = 'data:,';"
                    + " document.body.append(img); }");
            List<String> planted = new ArrayList<>();
            check(page, "planted", planted);
            Assertions.assertThat(planted).anySatisfy(p -> Assertions.assertThat(p).contains("image-alt", "#planted"));
            page.evaluate("() => document.getElementById('planted').remove()");
            check(page, "sign-in", problems);
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);

            for (String mode : List.of("light 1280", "dark 390")) {
                boolean phone = mode.endsWith("390");
                page.setViewportSize(phone ? 390 : 1280, phone ? 844 : 900);
                page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(mode.startsWith("dark") ? ColorScheme.DARK : ColorScheme.LIGHT));
                for (String path : List.of("/projects/default/flags", "/projects/default/flags/a11y-flag", "/projects/default/segments",
                        "/projects/default/segments/staff", "/projects/default/deployments", "/projects/default/environments",
                        "/projects/default/audit", "/tokens", "/users", "/account")) {
                    page.navigate(path);
                    assertThat(page.locator("main h1")).isVisible();
                    assertThat(page.locator("main .loading")).hasCount(0);
                    check(page, path + " (" + mode + " px)", problems);
                    if (phone && (path.endsWith("/environments") || path.equals("/account"))) {
                        tab.screenshot(path.substring(path.lastIndexOf('/') + 1) + "-phone-dark");
                    }
                }
            }

            page.setViewportSize(1280, 900);
            page.navigate("/projects/default/flags/a11y-flag");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit definition")).click();
            assertThat(page.getByRole(AriaRole.DIALOG)).isVisible();
            check(page, "flag definition dialog", problems);
            page.keyboard().press("Escape");
            assertThat(page.getByRole(AriaRole.DIALOG)).hasCount(0);

            // a rollout with its bucketing hint, and the production switch's confirmation (rendered at the end of the body)
            page.locator("form.config fieldset.serve").last().getByText("a percentage rollout").click();
            assertThat(page.locator("#fallthrough-bucket-hint")).isVisible();
            check(page, "flag configuration with a rollout", problems);
            page.navigate("/projects/default/flags");
            page.locator("tr[data-flag=a11y-flag] td[data-env=production] [role=switch]").click();
            assertThat(page.getByRole(AriaRole.DIALOG)).isVisible();
            check(page, "production switch confirmation", problems);
        }
        Assertions.assertThat(problems).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    /** Runs axe-core on the page (opened with the policy bypassed) and adds its serious or critical findings to {@code problems}. */
    static void check(Page page, String where, List<String> problems) {
        if (axe == null) { // another browser test calling in
            try {
                axe = Files.readString(AXE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (!Boolean.TRUE.equals(page.evaluate("() => typeof axe !== 'undefined'"))) {
            page.addScriptTag(new Page.AddScriptTagOptions().setContent(axe));
        }
        String json = (String) page.evaluate(RUN_AXE);
        try {
            for (JsonNode violation : Http.mapper().readTree(json)) {
                String impact = violation.get("impact").asText();
                if (!impact.equals("serious") && !impact.equals("critical")) {
                    // reported, not failed on
                    System.out.println("axe, " + where + ": " + impact + " " + violation.get("id").asText() + " at " + violation.get("nodes"));
                    continue;
                }
                problems.add(where + ": " + violation.get("impact").asText() + " " + violation.get("id").asText() + " (" + violation.get("help").asText()
                        + ") at " + violation.get("nodes"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
