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
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The flag page's evaluator, as a product owner uses it: attributes entered as rows (added,
 * typed, removed) or as JSON (converted both ways), the answer in every environment at once, and
 * why — the rule that matched and each rule before it with the clause that failed, the segment,
 * and the rollout's bucket — in sentences, agreeing with the server's evaluate endpoint.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AdminUiEvaluatorIT {

    private static final String FLAG = "explained-banner";
    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    @BeforeAll
    static void start() {
        Fixtures given = new Fixtures(server.admin());
        given.segment(Map.of("key", "beta-testers", "name", "Beta testers"));
        given.segmentConfiguration("beta-testers", "production", Map.of("included", List.of("vip")));
        given.booleanFlag(FLAG);
        given.configuration(FLAG, "development", Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
        given.configuration(FLAG, "production", Map.of("on", true, "offVariation", 1,
                "rules", List.of(
                        Map.of("id", "staff", "clauses", List.of(Map.of("attribute", "email", "op", "endsWith",
                                "values", List.of("@example.com"))), "serve", Map.of("variation", 0)),
                        Map.of("id", "beta", "clauses", List.of(Map.of("attribute", "segment", "op", "segmentMatch",
                                "values", List.of("beta-testers"))), "serve", Map.of("variation", 0)),
                        Map.of("id", "nordic", "clauses", List.of(Map.of("attribute", "country", "op", "in", "values", List.of("NO", "SE"))),
                                "serve", Map.of("rollout", Map.of("bucketBy", "accountId",
                                        "variations", List.of(Map.of("variation", 0, "weight", 10_000), Map.of("variation", 1, "weight", 90_000)))))),
                "fallthrough", Map.of("variation", 1)));
    }

    @Test
    void attributes_as_rows_give_every_environment_s_answer_and_explain_the_rule_the_segment_and_the_bucket() throws Exception {
        try (Browser.Tab tab = browser.open("/projects/default/flags/" + FLAG, true)) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator evaluator = page.locator("form.evaluator");
            evaluator.getByLabel("Context key").fill("user-7");

            // rows: one per attribute, typed; a row added by mistake is removed
            row(evaluator, 1, "country", "text", "NO");
            add(evaluator);
            row(evaluator, 2, "accountId", "text", "acme");
            add(evaluator);
            row(evaluator, 3, "beta", "boolean", "false");
            add(evaluator);
            row(evaluator, 4, "mistake", "number", "1");
            evaluator.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove attribute 4")).click();
            assertThat(evaluator.locator("li.attribute-row")).hasCount(3);

            // to JSON and back: the same attributes, typed, and what was typed in JSON comes back as a row
            evaluator.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit as JSON")).click();
            Locator json = evaluator.getByLabel("Attributes (JSON)");
            Assertions.assertThat(Http.mapper().readTree(json.inputValue()))
                    .isEqualTo(Http.mapper().valueToTree(Map.of("country", "NO", "accountId", "acme", "beta", false)));
            json.fill("{\"country\": \"NO\", \"accountId\": \"acme\", \"beta\": false, \"email\": \"ola@elsewhere.org\", \"groups\": [\"a\", 2]}");
            evaluator.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit as rows")).click();
            assertThat(evaluator.locator("li.attribute-row")).hasCount(5);
            assertThat(evaluator.getByLabel("Attribute 4 name")).hasValue("email");
            assertThat(evaluator.getByLabel("Attribute 5 type")).hasValue("list");
            assertThat(evaluator.getByLabel("Attribute 5 value")).hasValue("a, 2");

            evaluator.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Evaluate")).click();

            // every environment at once, each as the server's evaluator answers it
            Map<String, Object> context = new LinkedHashMap<>(Map.of("key", "user-7", "country", "NO", "accountId", "acme", "beta", false,
                    "email", "ola@elsewhere.org", "groups", List.of("a", 2)));
            Locator table = evaluator.locator("table.evaluation");
            assertThat(table.locator("tbody tr")).hasCount(3);
            for (String env : List.of("development", "staging", "production")) {
                JsonNode expected = server.admin().post("/api/v1/projects/default/environments/" + env + "/evaluate?explain=true",
                        Map.of("context", context, "flags", List.of(FLAG))).json().at("/results/" + FLAG);
                Locator row = table.locator("tr[data-env=" + env + "]");
                assertThat(row.locator("td.value code")).hasText(expected.get("value").toString());
                assertThat(row).hasAttribute("data-reason-kind", expected.at("/reason/kind").asText());
            }
            assertThat(table.locator("tr[data-env=development] td.reason")).hasText("Default rule");
            assertThat(table.locator("tr[data-env=staging] td.reason")).hasText("Off");
            assertThat(table.locator("tr[data-env=production] td.reason")).hasText("Rule 3 “nordic” matched (in rollout)");

            // why, in sentences: the rules before the match with their failed clause, the segment, the bucket
            JsonNode production = server.admin().post("/api/v1/projects/default/environments/production/evaluate?explain=true",
                    Map.of("context", context, "flags", List.of(FLAG))).json().at("/results/" + FLAG);
            JsonNode bucket = production.at("/explanation/2/bucket");
            Locator why = table.locator("tr[data-env=production] td.why");
            why.getByText("Why?").click();
            Locator explanation = why.locator("ol.explanation");
            assertThat(explanation).isVisible();
            assertThat(explanation).containsText("Rule 1 “staff” did not match: clause 1 failed.");
            assertThat(explanation).containsText("Clause 1: email ends with “@example.com” — no: the context’s email is “ola@elsewhere.org”.");
            assertThat(explanation).containsText("Rule 2 “beta” did not match: clause 1 failed.");
            assertThat(explanation).containsText("the context is not in segment “beta-testers” (not included by key, and none of its rules matches)");
            assertThat(explanation.locator("li.decided")).containsText("Rule 3 “nordic” matched → " + production.get("value").asText() + ".");
            assertThat(explanation).containsText(Pattern.compile("Bucket " + grouped(bucket.get("bucket").asLong()) + " of 100\\s000 by accountId “acme” → "
                    + production.get("value").asText() + " \\(" + grouped(bucket.get("from").asLong()) + "–" + grouped(bucket.get("to").asLong()) + "\\)"));
            tab.screenshot("flag-evaluator-explained");

            List<String> problems = new ArrayList<>();
            AccessibilityIT.check(page, "the evaluator with an explanation open", problems);
            Assertions.assertThat(problems).as("serious or critical accessibility violations (axe-core)").isEmpty();

            page.setViewportSize(390, 844);
            assertThat(explanation).isVisible();
            tab.screenshot("flag-evaluator-explained-phone");
        }
    }

    @Test
    void a_row_that_is_not_a_number_is_named_and_nothing_is_evaluated() {
        try (Browser.Tab tab = browser.open("/projects/default/flags/" + FLAG)) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            Locator evaluator = page.locator("form.evaluator");
            evaluator.getByLabel("Context key").fill("user-8");
            row(evaluator, 1, "age", "number", "ten");
            evaluator.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Evaluate")).click();
            assertThat(evaluator.getByRole(AriaRole.ALERT)).containsText("“ten” is not a number (attribute “age”).");
            assertThat(evaluator.locator("li.attribute-row").first()).hasAttribute("aria-invalid", "true");
            assertThat(evaluator.locator("table.evaluation")).hasCount(0);
        }
    }

    /** Fills row {@code n} (from 1): its name, type and value. */
    private static void row(Locator evaluator, int n, String name, String type, String value) {
        evaluator.getByLabel("Attribute " + n + " name").fill(name);
        evaluator.getByLabel("Attribute " + n + " type").selectOption(type);
        Locator input = evaluator.getByLabel("Attribute " + n + " value");
        if (type.equals("boolean")) {
            input.selectOption(value);
        } else {
            input.fill(value);
        }
    }

    private static void add(Locator evaluator) {
        evaluator.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add attribute")).click();
    }

    /** A number as the page groups it (thousands apart), as a pattern that takes any space. */
    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n).replace(",", "\\s");
    }
}
