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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * "Who gets this flag?" answered in the flags list: each environment's one-line summary is read
 * from the page for ten configurations and checked against what the server's evaluator (the
 * SDK's own) answers for 2 000 sampled contexts. And safe targeting on the flag page: it opens on
 * the environment clicked, a production save shows who gets the flag before → after and warns
 * when the change widens that (not when it narrows it), and segments are picked from a list.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AdminUiAudienceIT {

    private static final String PROJECT = "/api/v1/projects/default";
    private static final List<String> COUNTRIES = List.of("NO", "SE", "DK", "DE", "US", "FR");
    private static final int SAMPLED = 2_000;
    private static final int STAFF = 50;

    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    private static Fixtures fixtures;

    /** A configuration, the summary the list must show for it, and what that summary promises. */
    private record Case(String flag, String summary, Check check) {
    }

    /** What a summary promises, checked over every sampled context's answer. */
    private interface Check {
        /** @return null when the answers keep the promise, else what broke it */
        String verify(List<Map<String, Object>> contexts, List<JsonNode> answers);

        default Check and(Check other) {
            return (contexts, answers) -> {
                String broken = verify(contexts, answers);
                return broken != null ? broken : other.verify(contexts, answers);
            };
        }
    }

    @BeforeAll
    static void scene() {
        fixtures = new Fixtures(server.admin());
        fixtures.segment(Map.of("key", "staff", "name", "Staff"));
        List<String> staff = new ArrayList<>();
        for (int i = 0; i < STAFF; i++) {
            staff.add("staff-" + i);
        }
        fixtures.segmentConfiguration("staff", "production", Map.of("included", staff));
    }

    @Test
    void the_summaries_of_ten_configurations_match_the_evaluators_answers_for_sampled_contexts() {
        List<Case> cases = List.of(
                new Case("ten-percent", "On for 10 %", share("ten-percent", c -> true, true, 0.10, 0.035)),
                new Case("staff-first", "Staff → on; others 25 %", all("staff-first", (c, v) -> !isStaff(c) || v.asBoolean())
                        .and(share("staff-first", c -> !isStaff(c), true, 0.25, 0.04))),
                new Case("nordics", "NO, SE only", all("nordics", (c, v) -> v.asBoolean() == Set.of("NO", "SE").contains(c.get("country")))),
                new Case("switched-off", "Off", all("switched-off", (c, v) -> !v.asBoolean())),
                new Case("everyone", "On for everyone", all("everyone", (c, v) -> v.asBoolean())),
                new Case("checkout-redesign", "Released by checkout 1.4.2: 10 %", share("checkout-redesign", c -> true, true, 0.10, 0.035)),
                new Case("ab-test", "A 50 % · B 50 %", share("ab-test", c -> true, "A", 0.5, 0.04)
                        .and(share("ab-test", c -> true, "B", 0.5, 0.04))),
                new Case("pilots", "alice, bob only", all("pilots", (c, v) -> v.asBoolean() == Set.of("alice", "bob").contains(c.get("key")))),
                new Case("needs-ten-percent", "Needs ten-percent; On for everyone", (contexts, answers) -> {
                    for (int i = 0; i < contexts.size(); i++) {
                        JsonNode results = answers.get(i);
                        if (results.at("/needs-ten-percent/value").asBoolean() != results.at("/ten-percent/value").asBoolean()) {
                            return "needs-ten-percent differs from ten-percent for " + contexts.get(i);
                        }
                    }
                    return null;
                }),
                new Case("free-plan-off", "plan = free → off; others on",
                        all("free-plan-off", (c, v) -> v.asBoolean() == !"free".equals(c.get("plan")))));
        configure();

        List<Map<String, Object>> contexts = sampledContexts();
        List<String> keys = cases.stream().map(Case::flag).toList();
        List<JsonNode> answers = evaluate(contexts, keys);

        try (Browser.Tab tab = browser.open("/projects/default/flags?env=production")) {
            Page page = tab.page();
            page.setViewportSize(1366, 900);
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            for (Case c : cases) {
                Locator summary = summary(page, c.flag());
                assertThat(summary).hasText(c.summary());
                Assertions.assertThat(c.check().verify(contexts, answers)).as("%s: “%s”", c.flag(), c.summary()).isNull();
                // the whole sentence: the hover text and the accessible description say the same
                String sentence = summary.getAttribute("title");
                Assertions.assertThat(sentence).as(c.flag()).isNotBlank();
                assertThat(summary).hasAccessibleDescription(sentence);
            }
            assertThat(summary(page, "ten-percent")).hasAttribute("title",
                    "On. Everyone: 10 % get on (sticky by context key), the rest off.");
            assertThat(summary(page, "staff-first")).hasAttribute("title", "On. Rule 1: contexts in segment Staff get on. "
                    + "Everyone else: 25 % get on (sticky by context key), the rest off.");
            // "evaluated …" only where it says something: no SDK ever evaluated these
            assertThat(page.locator("tr[data-flag=nordics] td[data-env=production] .evaluated")).hasText("never evaluated");
            tab.screenshot("flags-who-gets-it");

            // keyboard focus shows the sentence beside the summary (a title shows for the mouse only)
            page.locator("tr[data-flag=staff-first] td[data-env=production] [role=switch]").focus();
            page.keyboard().press("Tab");
            Locator focused = summary(page, "staff-first");
            assertThat(focused).isFocused();
            Locator tip = page.locator("tr[data-flag=staff-first] td[data-env=production] .audience-tip");
            Assertions.assertThat(tip.boundingBox().width).as("the sentence shown on focus").isGreaterThan(100);
            tab.screenshot("flags-who-gets-it-focus");
        }
    }

    @Test
    void the_flag_page_opens_on_the_environment_clicked_in_the_list() {
        fixtures.booleanFlag("opens-there");
        fixtures.configuration("opens-there", "staging", Map.of("on", true, "offVariation", 1, "fallthrough", rollout(30)));
        try (Browser.Tab tab = browser.open("/projects/default/flags?q=opens-there")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator staging = page.locator("tr[data-flag=opens-there] td[data-env=staging] a.audience");
            assertThat(staging).hasText("On for 30 %");
            assertThat(page.locator("tr[data-flag=opens-there] td[data-env=production] a.audience")).hasText("Off");
            staging.click();
            assertThat(page).hasURL(Pattern.compile("/projects/default/flags/opens-there\\?env=staging$"));
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Configuration in Staging"))).isVisible();
            assertThat(page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Staging"))).hasAttribute("aria-selected", "true");
            // the flag page's environment table says the same, each summary a way to that environment
            Locator production = page.locator("table.envs tr[data-env=production] a.audience");
            assertThat(page.locator("table.envs tr[data-env=staging] a.audience")).hasText("On for 30 %");
            assertThat(production).hasText("Off");
            production.click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Configuration in Production"))).isVisible();
            tab.screenshot("flag-who-gets-it");

            // a list showing one environment links each flag's name to that environment too
            page.navigate("/projects/default/flags?env=production&q=opens-there");
            assertThat(page.locator("tr[data-flag=opens-there] a.flag-name")).hasAttribute("href", Pattern.compile("\\?env=production$"));
        }
    }

    /**
     * A production save shows the summaries before → after; raising a share warns, lowering it
     * does not. A rule picked with a segment from the list while the default rule serves true to
     * everyone warns that everyone gets it, not only the segment.
     */
    @Test
    void a_production_save_shows_before_and_after_and_warns_only_when_the_audience_widens() {
        fixtures.booleanFlag("widening");
        fixtures.configuration("widening", "production", Map.of("on", true, "offVariation", 1, "fallthrough", rollout(10)));
        try (Browser.Tab tab = browser.open("/projects/default/flags/widening?env=production")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator config = page.locator("form.config");
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            Locator onShare = config.locator("fieldset.serve").last().getByLabel("Percent true");
            Locator save = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save Production"));

            // widening: 10 % → 30 %
            onShare.fill("30");
            save.click();
            assertThat(dialog.getByRole(AriaRole.HEADING)).hasText("Change who gets “widening” in Production?");
            assertThat(dialog.getByTestId("before-after")).hasText("On for 10 % → On for 30 %");
            assertThat(dialog.getByTestId("widening")).containsText("The default rule serves on to 30 % instead of 10 %.");
            tab.screenshot("flag-production-save-widening");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
            assertThat(dialog).hasCount(0);
            Assertions.assertThat(weightOn("widening")).as("nothing saved on cancel").isEqualTo(10_000);

            // narrowing: 10 % → 5 %, no warning; saved
            onShare.fill("5");
            save.click();
            assertThat(dialog.getByTestId("before-after")).hasText("On for 10 % → On for 5 %");
            assertThat(dialog.getByTestId("widening")).hasCount(0);
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save Production")).click();
            assertThat(config.locator("p.notice")).hasText(Pattern.compile("^Saved"));
            Assertions.assertThat(weightOn("widening")).isEqualTo(5_000);
            assertThat(page.locator("table.envs tr[data-env=production] a.audience")).hasText("On for 5 %");
        }

        fixtures.booleanFlag("staff-preview"); // new: off, its default rule serving true
        try (Browser.Tab tab = browser.open("/projects/default/flags/staff-preview?env=production")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator config = page.locator("form.config");
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            config.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add rule")).click();
            Locator rule = config.locator("li.rule").first();
            rule.locator("select").first().selectOption("segmentMatch");
            // the segment is picked from the project's segments, not typed
            Locator picker = rule.getByRole(AriaRole.GROUP, new Locator.GetByRoleOptions().setName(Pattern.compile("^Segments")));
            Assertions.assertThat(picker.locator("textarea").count()).isZero();
            picker.getByLabel("Staff").check();
            config.getByLabel("Serving (on)").check();
            tab.screenshot("flag-segment-picked");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save Production")).click();
            assertThat(dialog.getByTestId("before-after")).hasText("Off → Staff → on; others on");
            assertThat(dialog.getByTestId("widening")).containsText(
                    "Rule 1 (Staff) is added, but the default rule serves on to everyone: everyone gets it, not only Staff.");
            tab.screenshot("flag-production-save-rule-while-everyone");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();

            // the default rule serving false makes it staff only: still a widening from off, said so
            config.locator("fieldset.serve").last().getByLabel(Pattern.compile("^Variation")).selectOption("1");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save Production")).click();
            assertThat(dialog.getByTestId("before-after")).hasText("Off → Staff only");
            assertThat(dialog.getByTestId("widening")).hasText(Pattern.compile("It turns the flag on: Staff only\\.$"));
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save Production")).click();
            assertThat(config.locator("p.notice")).hasText(Pattern.compile("^Saved"));
        }
        JsonNode saved = server.admin().get(PROJECT + "/flags/staff-preview/environments/production").json().get("config");
        Assertions.assertThat(saved.at("/rules/0/clauses/0/op").asText()).isEqualTo("segmentMatch");
        Assertions.assertThat(saved.at("/rules/0/clauses/0/values").toString()).isEqualTo("[\"staff\"]");
        Assertions.assertThat(server.admin().post(PROJECT + "/environments/production/evaluate",
                Map.of("context", Map.of("key", "staff-3"), "flags", List.of("staff-preview"))).json()
                .at("/results/staff-preview/value").asBoolean()).isTrue();
    }

    // ---- the ten configurations ------------------------------------------------------------------

    private static void configure() {
        List<Map<String, Object>> off = List.of();
        String env = "production";
        fixtures.booleanFlag("ten-percent");
        fixtures.configuration("ten-percent", env, on(off, rollout(10)));
        fixtures.booleanFlag("staff-first");
        fixtures.configuration("staff-first", env, on(List.of(rule(clause("key", "segmentMatch", "staff"), 0)), rollout(25)));
        fixtures.booleanFlag("nordics");
        fixtures.configuration("nordics", env, on(List.of(rule(clause("country", "in", "NO", "SE"), 0)), Map.of("variation", 1)));
        fixtures.booleanFlag("switched-off");
        Map<String, Object> wouldServe = new LinkedHashMap<>(on(List.of(rule(clause("country", "in", "NO"), 0)), Map.of("variation", 0)));
        wouldServe.put("on", false);
        fixtures.configuration("switched-off", env, wouldServe);
        fixtures.booleanFlag("everyone");
        fixtures.configuration("everyone", env, on(off, Map.of("variation", 0)));

        Http pipeline = new Http(server.base(), server.token("pipeline", "default", env));
        long deployment = fixtures.as(pipeline).deployment(Map.of("service", "checkout", "version", "1.4.2", "environment", env,
                "flags", List.of("checkout-redesign"))).get("id").asLong();
        Assertions.assertThat(fixtures.as(pipeline).release(deployment, Map.of("steps", List.of(Map.of("percentage", 10),
                Map.of("percentage", 50, "after", "PT1H")))).at("/release/state").asText()).isEqualTo("running");

        fixtures.flag(Map.of("key", "ab-test", "name", "A/B test", "kind", "string",
                "variations", List.of(Map.of("value", "A"), Map.of("value", "B"), Map.of("value", "C"))));
        fixtures.configuration("ab-test", env, Map.of("on", true, "offVariation", 2, "fallthrough", Map.of("rollout", Map.of(
                "variations", List.of(Map.of("variation", 0, "weight", 50_000), Map.of("variation", 1, "weight", 50_000),
                        Map.of("variation", 2, "weight", 0))))));
        fixtures.booleanFlag("pilots");
        Map<String, Object> pilots = new LinkedHashMap<>(on(off, Map.of("variation", 1)));
        pilots.put("targets", List.of(Map.of("variation", 0, "values", List.of("alice", "bob"))));
        fixtures.configuration("pilots", env, pilots);
        fixtures.booleanFlag("needs-ten-percent");
        Map<String, Object> needs = new LinkedHashMap<>(on(off, Map.of("variation", 0)));
        needs.put("prerequisites", List.of(Map.of("flag", "ten-percent", "variation", 0)));
        fixtures.configuration("needs-ten-percent", env, needs);
        fixtures.booleanFlag("free-plan-off");
        fixtures.configuration("free-plan-off", env, on(List.of(rule(clause("plan", "in", "free"), 1)), Map.of("variation", 0)));
    }

    private static Map<String, Object> on(List<Map<String, Object>> rules, Map<String, Object> fallthrough) {
        return Map.of("on", true, "offVariation", 1, "rules", rules, "fallthrough", fallthrough);
    }

    private static Map<String, Object> rule(Map<String, Object> clause, int variation) {
        return Map.of("clauses", List.of(clause), "serve", Map.of("variation", variation));
    }

    private static Map<String, Object> clause(String attribute, String op, String... values) {
        return Map.of("attribute", attribute, "op", op, "values", List.of(values));
    }

    /** A boolean rollout: {@code percent} % true (variation 0), the rest false. */
    private static Map<String, Object> rollout(int percent) {
        return Map.of("rollout", Map.of("variations", List.of(Map.of("variation", 0, "weight", percent * 1_000),
                Map.of("variation", 1, "weight", 100_000 - percent * 1_000))));
    }

    // ---- the sampled contexts and the checks ---------------------------------------------------

    /** 2 000 contexts: the staff segment's members, alice and bob, and users from six countries on two plans. */
    private static List<Map<String, Object>> sampledContexts() {
        List<Map<String, Object>> contexts = new ArrayList<>();
        for (int i = 0; i < SAMPLED; i++) {
            String key = i < STAFF ? "staff-" + i : i == STAFF ? "alice" : i == STAFF + 1 ? "bob" : "user-" + i;
            contexts.add(Map.of("key", key, "country", COUNTRIES.get(i % COUNTRIES.size()), "plan", i % 3 == 0 ? "free" : "pro"));
        }
        return contexts;
    }

    /** Every context's answers for the flags, in the contexts' order (a few requests at a time: 2 000 one by one is slow). */
    private static List<JsonNode> evaluate(List<Map<String, Object>> contexts, List<String> flags) {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<JsonNode>> pending = new ArrayList<>();
            for (Map<String, Object> context : contexts) {
                pending.add(pool.submit(() -> {
                    Http.Response answer = server.admin().post(PROJECT + "/environments/production/evaluate",
                            Map.of("context", context, "flags", flags));
                    Assertions.assertThat(answer.status()).as("%s", answer).isEqualTo(200);
                    return answer.json().get("results");
                }));
            }
            List<JsonNode> answers = new ArrayList<>();
            for (Future<JsonNode> answer : pending) {
                answers.add(answer.get(2, TimeUnit.MINUTES));
            }
            return answers;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("evaluating the sampled contexts", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean isStaff(Map<String, Object> context) {
        return context.get("key").toString().startsWith("staff-");
    }

    /** Every context's value of the flag keeps the promise. */
    private static Check all(String flag, BiPredicate<Map<String, Object>, JsonNode> promise) {
        return (contexts, answers) -> {
            for (int i = 0; i < contexts.size(); i++) {
                JsonNode value = answers.get(i).at("/" + flag + "/value");
                if (!promise.test(contexts.get(i), value)) {
                    return flag + " is " + value + " for " + contexts.get(i);
                }
            }
            return null;
        };
    }

    /** Among the contexts chosen, the share served {@code value} is {@code expected} ± {@code tolerance}. */
    private static Check share(String flag, java.util.function.Predicate<Map<String, Object>> among, Object value,
                               double expected, double tolerance) {
        return (contexts, answers) -> {
            int chosen = 0;
            int served = 0;
            for (int i = 0; i < contexts.size(); i++) {
                if (among.test(contexts.get(i))) {
                    chosen++;
                    JsonNode answer = answers.get(i).at("/" + flag + "/value");
                    if (value instanceof Boolean b ? answer.asBoolean() == b && answer.isBoolean() : answer.asText().equals(value)) {
                        served++;
                    }
                }
            }
            double share = (double) served / chosen;
            return Math.abs(share - expected) <= tolerance ? null
                    : flag + ": " + served + " of " + chosen + " served " + value + " (" + share + "), not " + expected + " ± " + tolerance;
        };
    }

    private static Locator summary(Page page, String flag) {
        return page.locator("tr[data-flag='" + flag + "'] td[data-env=production] a.audience");
    }

    private static int weightOn(String flag) {
        return server.admin().get(PROJECT + "/flags/" + flag + "/environments/production").json()
                .at("/config/fallthrough/rollout/variations/0/weight").asInt();
    }
}
