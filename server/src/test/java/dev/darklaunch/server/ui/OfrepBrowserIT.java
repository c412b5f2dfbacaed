package dev.darklaunch.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.OfrepFixture;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser client nobody here wrote: OpenFeature's web SDK ({@code @openfeature/web-sdk}) with
 * its OFREP web provider ({@code @openfeature/ofrep-web-provider}), from the npm registry at the
 * versions {@code src/test/browser-ofrep/package-lock.json} pins, bundled by the build into
 * {@code target/browser-ofrep/}. It runs in headless Chromium on a page served from another origin
 * than the Darklaunch server's, with a {@code client} token, so every call is a real CORS request.
 * <p>
 * It evaluates the same flags as {@link DarklaunchClient} (on/off, a rule on an attribute, a 30 %
 * rollout, a string and an object flag, a missing flag) for the same contexts and must give the
 * same values; it sees a flip through OFREP's change detection (the provider polls the bulk
 * endpoint with {@code If-None-Match}); a page on an origin the token does not list is refused by
 * the browser; a flag not marked {@code clientSide} cannot be read through the client token.
 */
@DarklaunchServerTest
@ExtendWith(BrowserExtension.class)
class OfrepBrowserIT {

    private static final String P = OfrepFixture.P;
    private static final String ENV = OfrepFixture.ENVIRONMENT;
    private static final Path BUNDLE = Path.of("target", "browser-ofrep", "openfeature.js");
    private static final Path PAGE = Path.of("src", "test", "browser-ofrep", "index.html");
    private static final Path EXAMPLE = Path.of("src", "test", "browser-ofrep", "readme-example.js");
    private static final Path README = Path.of(System.getProperty("darklaunch.repo.root", ".."), "README.md");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the provider asks whether the flags changed: short, so a flip shows within a second or two. */
    private static final int POLL_MILLIS = 250;

    private static final String MISSING = "no-such-flag";
    /** The flags every OFREP client evaluates ({@link OfrepFixture}) and a missing one: key, OpenFeature type, the caller's default. */
    private static final List<Map<String, Object>> FLAGS = List.of(
            flag("on-off", "boolean", false),
            flag("by-country", "boolean", false),
            flag("rollout-30", "boolean", false),
            flag("banner", "string", "grey"),
            flag("discount", "number", -1),
            flag("layout", "object", Map.of("columns", 1)),
            flag("disabled", "boolean", true),
            flag(MISSING, "boolean", true));

    @Given
    private static TestServer server;

    @Given
    private static Fixtures given;
    @Given
    private static Browser browser;
    private static StaticSite allowedSite;
    private static StaticSite otherSite;
    private static DarklaunchClient sdk;
    private static String clientToken;

    @BeforeAll
    static void start() {
        if (!Files.isRegularFile(BUNDLE)) {
            throw new IllegalStateException(BUNDLE.toAbsolutePath() + " is missing: the build makes it with npm"
                    + " (server/pom.xml, execution browser-ofrep-bundle), which -DskipUi leaves out; build without -DskipUi");
        }
        Map<String, StaticSite.File> files = Map.of(
                "/", StaticSite.File.of("text/html; charset=utf-8", PAGE),
                "/openfeature.js", StaticSite.File.of("text/javascript; charset=utf-8", BUNDLE));
        allowedSite = StaticSite.serving(files);
        otherSite = StaticSite.serving(files);
        OfrepFixture.create(server.admin());
        // the README example's flag: on for Norway
        OfrepFixture.flag(server.admin(), OfrepFixture.bool("new-checkout", true), Map.of("on", true, "offVariation", 1,
                "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "country", "op", "in", "values", List.of("NO"))),
                        "serve", Map.of("variation", 0))),
                "fallthrough", Map.of("variation", 1)));
        clientToken = OfrepFixture.clientToken(server.admin(), allowedSite.origin());
        sdk = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                        .baseUri(URI.create(server.base()))
                        .sdkToken(server.token("sdk", "default", ENV))
                        .initTimeout(Duration.ofSeconds(10)))
                .build());
        assertThat(sdk.isReady()).as("the Java SDK is ready").isTrue();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{sdk, allowedSite, otherSite}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("closing " + closeable + ": " + e);
                }
            }
        }
    }

    @Test
    void the_web_sdk_gives_what_darklaunch_client_gives_for_every_flag_and_context() {
        try (Browser.Tab tab = browser.open(allowedSite.origin() + "/")) {
            Page page = tab.page();
            // a key of its own: the provider keeps answers per targeting key (see the next test)
            assertThat(start(page, Map.of("targetingKey", "page-start"), 0)).isEqualTo("READY");
            List<Boolean> rollout = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String country = List.of("NO", "SE", "DE", "US").get(i % 4);
                String plan = i % 3 == 0 ? "premium" : "free";
                Map<String, Object> browserContext = Map.of("targetingKey", "user-" + i, "country", country, "plan", plan);
                Context javaContext = Context.of("user-" + i).with("country", country).with("plan", plan);
                page.evaluate("context => window.ofrepPage.setContext(context)", browserContext);
                JsonNode inBrowser = evaluate(page);
                for (Map<String, Object> flag : FLAGS) {
                    String key = (String) flag.get("key");
                    JsonNode got = inBrowser.get(key);
                    JsonNode expected = javaValue(key, (String) flag.get("type"), flag.get("fallback"), javaContext);
                    if (expected.isNumber()) { // JavaScript has one number type: 10 and 10.0 are one value
                        assertThat(got.get("value").isNumber()).as("%s: %s", key, got).isTrue();
                        assertThat(got.get("value").asDouble()).as("%s for %s: browser %s", key, browserContext, got)
                                .isEqualTo(expected.asDouble());
                    } else {
                        assertThat(got.get("value")).as("%s for %s: browser %s", key, browserContext, got).isEqualTo(expected);
                    }
                    if (key.equals(MISSING)) {
                        assertThat(got.get("errorCode").asText()).as("%s: %s", key, got).isEqualTo("FLAG_NOT_FOUND");
                    } else {
                        assertThat(got.get("errorCode")).as("%s for %s: %s", key, browserContext, got).isEqualTo(NullNode.getInstance());
                    }
                }
                rollout.add(inBrowser.at("/rollout-30/value").asBoolean());
            }
            // the rollout splits these contexts (both answers occur), exactly as the Java SDK does above
            assertThat(rollout).contains(true, false);
            assertThat(tab.dialogs()).isEmpty();
        }
    }

    /**
     * The provider keeps its answers per targeting key (in localStorage) and, when only other
     * attributes change, serves them at once and asks again with {@code If-None-Match}: the
     * server's ETag covers the whole context, so the new attributes get a fresh answer, not a 304.
     */
    @Test
    void new_attributes_for_the_same_user_get_fresh_answers() {
        try (Browser.Tab tab = browser.open(allowedSite.origin() + "/")) {
            Page page = tab.page();
            assertThat(start(page, Map.of("targetingKey", "traveller", "country", "DE"), 0)).isEqualTo("READY");
            assertThat(evaluate(page).at("/by-country/value").asBoolean()).isFalse();
            page.evaluate("context => window.ofrepPage.setContext(context)", Map.of("targetingKey", "traveller", "country", "NO"));
            Await.until(Duration.ofSeconds(20), "the page gets the answer for the new country",
                    () -> evaluate(page).at("/by-country/value").asBoolean());
            assertThat(sdk.boolVariation("by-country", Context.of("traveller").with("country", "NO"), false)).isTrue();
        }
    }

    @Test
    void a_flip_reaches_the_page_through_polling_within_seconds() {
        try (Browser.Tab tab = browser.open(allowedSite.origin() + "/")) {
            Page page = tab.page();
            assertThat(start(page, Map.of("targetingKey", "flip-user"), POLL_MILLIS)).isEqualTo("READY");
            assertThat(evaluate(page).at("/on-off/value").asBoolean()).isTrue();
            try {
                long flippedAt = System.currentTimeMillis();
                Http.Response off = server.admin().post(P + "/flags/on-off/environments/" + ENV + "/off", Map.of());
                assertThat(off.status()).as("%s", off).isEqualTo(200);
                Await.until(Duration.ofSeconds(20), "the page sees the flip", () -> !evaluate(page).at("/on-off/value").asBoolean());
                JsonNode changes = json(page.evaluate("() => JSON.stringify(window.ofrepPage.changes())"));
                assertThat(changes.size()).as("configuration changes the provider reported: %s", changes).isGreaterThanOrEqualTo(1);
                long seenAt = changes.get(changes.size() - 1).get("at").asLong();
                long latency = seenAt - flippedAt;
                System.out.println("OFREP browser flip: the page saw it " + latency + " ms after the switch (polling every "
                        + POLL_MILLIS + " ms)");
                assertThat(latency).as("flip to page, ms (polling every %d ms)", POLL_MILLIS).isLessThan(2_000);
                assertThat(changes.toString()).contains("on-off");
            } finally {
                given.toggle("on-off", ENV, true, Map.of());
                Await.until(Duration.ofSeconds(20), "the Java SDK sees on-off on again (for the other tests)",
                        () -> sdk.boolVariation("on-off", Context.of("flip-user"), false));
            }
        }
    }

    @Test
    void a_page_on_an_origin_the_token_does_not_list_is_refused_by_the_browser() {
        try (Browser.Tab tab = browser.open(otherSite.origin() + "/")) {
            Page page = tab.page();
            List<String> console = new CopyOnWriteArrayList<>();
            page.onConsoleMessage((ConsoleMessage message) -> console.add(message.text()));
            String status = start(page, Map.of("targetingKey", "user-1"), 0);
            assertThat(status).as("the provider on %s", otherSite.origin()).isNotEqualTo("READY");
            Await.until(Duration.ofSeconds(10), "the browser reports the CORS refusal: " + console,
                    () -> console.stream().anyMatch(line -> line.contains("blocked by CORS policy")));
            JsonNode results = evaluate(page);
            assertThat(results.at("/on-off/value")).as("the caller's default: %s", results).isEqualTo(BooleanNode.FALSE);
            assertThat(results.at("/on-off/errorCode").asText()).isNotEmpty();
            tab.screenshot("ofrep-browser-cors-refused");
        }
        // listed on another client token, the origin passes the preflight, but this token still does not serve it
        String otherToken = OfrepFixture.clientToken(server.admin(), otherSite.origin());
        try (Browser.Tab tab = browser.open(otherSite.origin() + "/")) {
            List<String> console = new CopyOnWriteArrayList<>();
            tab.page().onConsoleMessage((ConsoleMessage message) -> console.add(message.text()));
            assertThat(start(tab.page(), Map.of("targetingKey", "user-1"), 0)).isNotEqualTo("READY");
            Await.until(Duration.ofSeconds(10), "the browser reports the CORS refusal: " + console,
                    () -> console.stream().anyMatch(line -> line.contains("blocked by CORS policy")));
        }
        try (Browser.Tab tab = browser.open(otherSite.origin() + "/")) {
            Map<String, Object> options = Map.of("baseUrl", server.base(), "token", otherToken,
                    "context", Map.of("targetingKey", "user-1"), "pollInterval", 0);
            assertThat(tab.page().evaluate("options => window.ofrepPage.start(options)", options))
                    .as("the same page with a token that lists its origin").isEqualTo("READY");
        }
        // the page's own fetch is refused too, though the server is reachable and the token valid
        try (Browser.Tab tab = browser.open(otherSite.origin() + "/")) {
            Object outcome = tab.page().evaluate("([base, token]) => fetch(base + '/ofrep/v1/evaluate/flags', {method: 'POST',"
                    + " headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({context: {targetingKey: 'user-1'}})}).then(r => 'answered ' + r.status, e => 'refused: ' + e)",
                    List.of(server.base(), clientToken));
            assertThat(String.valueOf(outcome)).startsWith("refused: TypeError");
        }
    }

    @Test
    void a_flag_not_marked_client_side_cannot_be_read_through_the_client_token() {
        assertThat(sdk.boolVariation(OfrepFixture.SERVER_ONLY, Context.of("user-1"), false)).as("the flag exists, on, for servers").isTrue();
        try (Browser.Tab tab = browser.open(allowedSite.origin() + "/")) {
            Page page = tab.page();
            assertThat(start(page, Map.of("targetingKey", "user-1"), 0)).isEqualTo("READY");
            JsonNode result = json(page.evaluate("() => JSON.stringify(window.ofrepPage.evaluate("
                    + "[{key: 'server-only', type: 'boolean', fallback: false}]))"));
            assertThat(result.at("/server-only/value")).as("%s", result).isEqualTo(BooleanNode.FALSE);
            assertThat(result.at("/server-only/errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");

            // asked directly, from the allowed origin: the bulk answer leaves it out, the single one does not give it
            JsonNode bulk = json(page.evaluate("([base, token]) => fetch(base + '/ofrep/v1/evaluate/flags', {method: 'POST',"
                    + " headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({context: {targetingKey: 'user-1'}})}).then(r => r.text())", List.of(server.base(), clientToken)));
            List<String> keys = new ArrayList<>();
            bulk.get("flags").forEach(f -> keys.add(f.get("key").asText()));
            assertThat(keys).containsAll(OfrepFixture.CLIENT_SIDE).doesNotContain(OfrepFixture.SERVER_ONLY);
            JsonNode single = json(page.evaluate("([base, token]) => fetch(base + '/ofrep/v1/evaluate/flags/server-only', {method: 'POST',"
                    + " headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({context: {targetingKey: 'user-1'}})}).then(async r => JSON.stringify({status: r.status, body: await r.json()}))",
                    List.of(server.base(), clientToken)));
            assertThat(single.get("status").asInt()).as("%s", single).isEqualTo(404);
            assertThat(single.at("/body/errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");
            assertThat(single.at("/body/value").isMissingNode()).as("%s", single).isTrue();
        }
    }

    /** The README's browser example works as shown there (the README shows it as readme-example.js has it). */
    @Test
    void the_readme_example_works_as_shown() throws Exception {
        String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        String shown = example.substring(example.indexOf("// README example begins\n") + "// README example begins\n".length(),
                example.indexOf("// README example ends")).stripIndent();
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        assertThat(readme).contains(shown).contains(example.lines().filter(line -> line.startsWith("import ")).toList());

        try (Browser.Tab tab = browser.open(allowedSite.origin() + "/")) {
            Object rendered = tab.page().evaluate("([url, token]) => new Promise((resolve, reject) =>"
                    + " window.ofrepPage.readmeExample(url, token, {id: 'user-42', country: 'NO'}, (on, banner) => resolve([on, banner]))"
                    + ".catch(reject))", List.of(server.base(), clientToken));
            assertThat(rendered).isEqualTo(List.of(true, "blue"));
        }
    }

    /** Sets the provider up in the page; its status (READY), or FAILED with why. */
    private static String start(Page page, Map<String, Object> context, int pollMillis) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("baseUrl", server.base());
        options.put("token", clientToken);
        options.put("context", context);
        options.put("pollInterval", pollMillis);
        return String.valueOf(page.evaluate("options => window.ofrepPage.start(options)", options));
    }

    private static JsonNode evaluate(Page page) {
        return json(page.evaluate("requests => JSON.stringify(window.ofrepPage.evaluate(requests))", FLAGS));
    }

    /** What DarklaunchClient gives for the flag and context, as JSON; the caller's default for a missing flag. */
    private static JsonNode javaValue(String key, String type, Object fallback, Context context) {
        EvaluationDetail<?> detail = switch (type) {
            case "boolean" -> sdk.boolVariationDetail(key, context, (Boolean) fallback);
            case "string" -> sdk.stringVariationDetail(key, context, (String) fallback);
            case "number" -> sdk.doubleVariationDetail(key, context, ((Number) fallback).doubleValue());
            case "object" -> sdk.jsonVariationDetail(key, context, JSON.valueToTree(fallback));
            default -> throw new IllegalArgumentException(type);
        };
        if (key.equals(MISSING)) {
            assertThat(detail.reason().errorKind()).isEqualTo(Reason.ErrorKind.FLAG_NOT_FOUND);
        } else {
            assertThat(detail.reason().kind()).as("%s: %s", key, detail).isNotEqualTo(Reason.Kind.ERROR);
        }
        Object value = detail.value();
        return value instanceof JsonNode node ? node : value instanceof String text ? TextNode.valueOf(text) : JSON.valueToTree(value);
    }

    private static JsonNode json(Object text) {
        try {
            return JSON.readTree(String.valueOf(text));
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static Map<String, Object> flag(String key, String type, Object fallback) {
        return Map.of("key", key, "type", type, "fallback", fallback);
    }
}
