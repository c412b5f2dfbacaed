package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Requirement: the SDK works with the versions of its dependencies an application brings, across
 * the ranges its POM states. The build runs this class (with the Jackson-heavy unit tests) once per
 * end of each range: the application's own jars replace the SDK's on the class path, and the first
 * test checks that the versions asked for are the ones loaded, so a misconfigured run cannot pass
 * by testing the wrong jars. The scenario covers what depends on them: reading a snapshot strictly,
 * every operator (RE2J behind {@code matches}), JSON values, the streaming client, test flags.
 */
class DependencyRangeIT {

    @Test
    void theVersionsUnderTestAreTheOnesLoaded() {
        String expected = System.getProperty("darklaunch.expected-jars", "");
        List<String> loaded = List.of(jar(JsonNode.class), jar(com.fasterxml.jackson.core.JsonFactory.class),
                jar(com.fasterxml.jackson.annotation.JsonInclude.class), jar(com.google.re2j.Pattern.class),
                jar(org.slf4j.Logger.class));
        for (String jar : expected.split(",")) {
            if (!jar.isBlank()) {
                assertThat(loaded).as("jars on the class path").contains(jar.strip());
            }
        }
    }

    @Test
    void everyOperatorEvaluatesFromASnapshot() throws Exception {
        String snapshot = "{\"revision\": 7, \"segments\": [{\"key\": \"staff\", \"config\": {\"included\": [\"u-staff\"], "
                + "\"rules\": [{\"clauses\": [{\"attribute\": \"email\", \"op\": \"endsWith\", \"values\": [\"@corp.example\"]}]}]}}],"
                + " \"flags\": [" + String.join(",",
                flag("in", "country", "in", "\"NO\", \"SE\""),
                flag("startsWith", "email", "startsWith", "\"ada\""),
                flag("endsWith", "email", "endsWith", "\"@example.com\""),
                flag("contains", "email", "contains", "\"lovelace\""),
                flag("matches", "email", "matches", "\"^[a-z]+\\\\.[a-z]+@example\\\\.com$\""),
                flag("numberEq", "age", "numberEq", "36"),
                flag("numberLt", "age", "numberLt", "37"),
                flag("numberLte", "age", "numberLte", "36"),
                flag("numberGt", "age", "numberGt", "35"),
                flag("numberGte", "age", "numberGte", "36"),
                flag("semverEq", "app", "semverEq", "\"2.1.0\""),
                flag("semverLt", "app", "semverLt", "\"2.1.1\""),
                flag("semverLte", "app", "semverLte", "\"2.1.0\""),
                flag("semverGt", "app", "semverGt", "\"2.0.9\""),
                flag("semverGte", "app", "semverGte", "\"2.1.0\""),
                flag("before", "signedUp", "before", "\"2025-01-01T00:00:00Z\""),
                flag("after", "signedUp", "after", "\"2024-01-01T00:00:00+02:00\""),
                flag("inCidr", "ip", "inCidr", "\"10.1.0.0/16\""),
                flag("exists", "beta", "exists", ""),
                flag("segmentMatch", "key", "segmentMatch", "\"staff\""),
                "{\"flag\": {\"key\": \"layout\", \"name\": \"layout\", \"kind\": \"json\", \"variations\": ["
                        + "{\"value\": {\"columns\": 2, \"tags\": [\"a\"]}}, {\"value\": {\"columns\": 3, \"tags\": []}}]},"
                        + " \"config\": {\"on\": true, \"offVariation\": 0, \"fallthrough\": {\"variation\": 1}}}",
                "{\"flag\": {\"key\": \"theme\", \"name\": \"theme\", \"kind\": \"string\", \"variations\": ["
                        + "{\"value\": \"light\"}, {\"value\": \"dark\"}]},"
                        + " \"config\": {\"on\": true, \"offVariation\": 0, \"fallthrough\": {\"variation\": 1}}}") + "]}";
        Context ada = Context.of("u-1").with("country", "NO").with("email", "ada.lovelace@example.com").with("age", 36)
                .with("app", "2.1.0").with("signedUp", "2024-06-01T12:00:00Z").with("ip", "10.1.2.3").with("beta", true);
        Context bob = Context.of("u-2").with("country", "DK").with("email", "bob@example.org").with("age", 40)
                .with("app", "3.0.0").with("signedUp", "2025-06-01T12:00:00Z").with("ip", "10.2.0.1");
        // the ordered operators (numbers, versions, dates) each exclude one side: bob is above, carol below
        Context carol = Context.of("u-4").with("country", "DK").with("email", "carol@example.org").with("age", 20)
                .with("app", "1.0.0").with("signedUp", "2023-06-01T12:00:00Z").with("ip", "192.168.0.1");
        Context staff = Context.of("u-staff");

        try (DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(snapshot).offline().build())) {
            assertThat(client.isReady()).isTrue();
            for (String operator : List.of("in", "startsWith", "endsWith", "contains", "matches", "numberEq", "numberLt",
                    "numberLte", "numberGt", "numberGte", "semverEq", "semverLt", "semverLte", "semverGt", "semverGte",
                    "before", "after", "inCidr", "exists")) {
                assertThat(client.boolVariationDetail(operator, ada, false).reason().kind()).as(operator).isEqualTo(Reason.Kind.RULE_MATCH);
                assertThat(client.isEnabled(operator, ada)).as(operator + " matches").isTrue();
                assertThat(client.isEnabled(operator, bob) && client.isEnabled(operator, carol)).as(operator + " does not match").isFalse();
            }
            assertThat(client.isEnabled("segmentMatch", staff)).isTrue();
            assertThat(client.isEnabled("segmentMatch", Context.of("u-3").with("email", "eve@corp.example"))).isTrue();
            assertThat(client.isEnabled("segmentMatch", bob)).isFalse();

            JsonNode layout = client.jsonVariation("layout", ada, null);
            assertThat(layout.get("columns").asInt()).isEqualTo(3);
            assertThat(new ObjectMapper().writeValueAsString(layout)).isEqualTo("{\"columns\":3,\"tags\":[]}");
            assertThat(client.stringVariation("theme", ada, "none")).isEqualTo("dark");
            assertThat(client.allFlags(ada)).containsKeys("layout", "theme", "matches");
        }
    }

    @Test
    void snapshotsAreStillReadStrictly() {
        String duplicateKey = "{\"revision\": 1, \"revision\": 2, \"flags\": [], \"segments\": []}";
        assertThatThrownBy(() -> DarklaunchConfig.builder().bootstrap(duplicateKey)).isInstanceOf(IllegalArgumentException.class);
        String tooDeep = "{\"revision\": 1, \"flags\": [" + "[".repeat(200) + "]".repeat(200) + "], \"segments\": []}";
        assertThatThrownBy(() -> DarklaunchConfig.builder().bootstrap(tooDeep)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStreamingClientFollowsTheServer() throws Exception {
        try (FeedServer server = new FeedServer();
             DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().sdkToken("sdk-secret")
                     .baseUri(server.uri()).timings(LiveFeedTest.FAST).initTimeout(Duration.ZERO).evaluationCounts(false).build())) {
            List<Set<String>> changes = new CopyOnWriteArrayList<>();
            client.addFlagChangeListener(changes::add);
            FeedServer.Stream stream = server.nextStream();
            stream.event("snapshot", 1, LiveFeedTest.data(1, LiveFeedTest.flag("checkout", false)));
            FeedServer.await(Duration.ofSeconds(10), "the snapshot", client::isReady);
            assertThat(client.isEnabled("checkout", Context.of("u-1"))).isFalse();

            stream.event("patch", 2, LiveFeedTest.patch(1, 2, LiveFeedTest.flag("checkout", true)));
            FeedServer.await(Duration.ofSeconds(10), "the patch", () -> client.isEnabled("checkout", Context.of("u-1")));
            FeedServer.await(Duration.ofSeconds(10), "the change event", () -> changes.contains(Set.of("checkout")));
        }
    }

    @Test
    void testFlagsRollOutToAStickyShare() {
        TestFlags flags = TestFlags.create();
        flags.booleanFlag("rollout").percentage(30);
        flags.jsonFlag("limits", Map.of("max", 10), Map.of("max", 20)).serveWhen(Map.of("max", 20), "plan", "pro");
        try (DarklaunchClient client = flags.client()) {
            List<Boolean> answers = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                answers.add(client.isEnabled("rollout", Context.of("user-" + i)));
            }
            assertThat(answers.stream().filter(on -> on).count()).isBetween(500L, 700L);
            assertThat(client.jsonVariation("limits", Context.of("u").with("plan", "pro"), null).get("max").asInt()).isEqualTo(20);
        }
    }

    private static String flag(String key, String attribute, String operator, String values) {
        return "{\"flag\": {\"key\": \"" + key + "\", \"name\": \"" + key + "\", \"kind\": \"boolean\", \"variations\": "
                + "[{\"value\": true}, {\"value\": false}]}, \"config\": {\"on\": true, \"offVariation\": 1, "
                + "\"fallthrough\": {\"variation\": 1}, \"rules\": [{\"serve\": {\"variation\": 0}, \"clauses\": "
                + "[{\"attribute\": \"" + attribute + "\", \"op\": \"" + operator + "\", \"values\": [" + values + "]}]}]}}";
    }

    private static String jar(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
