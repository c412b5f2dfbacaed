package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.ModelJson;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/projects/{project}/import/unleash} end to end: a realistic Unleash payload is
 * imported into a fresh server, read back over the REST API, compiled and evaluated; importing it
 * again changes nothing; a pipeline token is refused and a malformed payload writes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DarklaunchServerTest
class UnleashImportIT {

    private static final String P = "/api/v1/projects/default";
    private static final String IMPORT = P + "/import/unleash?environment=production";
    private static final ObjectMapper LENIENT = ModelJson.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Given
    private static TestServer server;
    @Given
    private static Http admin;
    private static JsonNode payload;
    private static JsonNode firstImport;

    @BeforeAll
    static void start() throws IOException {
        try (InputStream in = UnleashImportIT.class.getResourceAsStream("/unleash/realistic-payload.json")) {
            payload = Http.mapper().readTree(in);
        }
    }

    @Test
    @Order(1)
    void a_pipeline_token_may_not_import_and_nothing_is_written() {
        String pipeline = server.token("pipeline", "default", "production");
        int events = auditCount();
        Http.Response refused = admin.as(pipeline).post(IMPORT, payload);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(admin.get(P + "/flags/checkout.new-flow").status()).isEqualTo(404);
        assertThat(auditCount()).isEqualTo(events);
    }

    @Test
    @Order(2)
    void a_malformed_payload_is_a_400_naming_the_input_and_writes_nothing() {
        int events = auditCount();
        ObjectNode bad = payload.deepCopy();
        ((ObjectNode) bad.withArray("features").get(2)).remove("name");
        Http.Response response = admin.post(IMPORT, bad);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo("features[2].name");

        Http.Response notAnArray = admin.post(IMPORT, Map.of("features", Map.of("name", "x")));
        assertThat(notAnArray.status()).isEqualTo(400);
        assertThat(notAnArray.json().get("field").asText()).isEqualTo("features");

        assertThat(admin.post(P + "/import/unleash", payload).json().get("field").asText()).isEqualTo("environment");
        assertThat(admin.post(P + "/import/unleash?environment=nowhere", payload).status()).isEqualTo(404);
        assertThat(admin.get(P + "/flags/checkout.new-flow").status()).isEqualTo(404);
        assertThat(auditCount()).isEqualTo(events);
    }

    @Test
    @Order(3)
    void an_import_creates_flags_and_segments_that_evaluate_as_unleash() {
        long stagingRevision = revision("staging");
        Http.Response response = admin.post(IMPORT, payload);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        firstImport = response.json();
        assertThat(texts(firstImport.at("/flags/created"))).contains("checkout.new-flow", "search.v2", "search.v2.variants",
                "dark-mode", "legacy-export", "treatment-banner");
        assertThat(texts(firstImport.at("/segments/created"))).containsExactly("unleash-segment-7");
        assertThat(firstImport.get("warnings").toString()).contains("partner-api");
        assertThat(revision("staging")).as("new definitions reach every environment").isGreaterThan(stagingRevision);

        Snapshot snapshot = Snapshot.compile(readBack(firstImport));
        String killSwitch = flagOf("ops/kill switch");
        assertThat(killSwitch).startsWith("ops-kill-switch-");
        assertThat(enabled(snapshot, "checkout.new-flow", Map.of("userId", "alice"))).isTrue();
        assertThat(enabled(snapshot, "dark-mode", Map.of("userId", "alice"))).isFalse();
        assertThat(enabled(snapshot, "legacy-export", Map.of())).as("depends on dark-mode being disabled").isTrue();
        assertThat(enabled(snapshot, killSwitch, Map.of("remoteAddress", "10.1.2.3"))).isTrue();
        assertThat(enabled(snapshot, killSwitch, Map.of("remoteAddress", "8.8.8.8"))).isFalse();
        JsonNode qa = variant(snapshot, "search.v2.variants", Map.of("userId", "qa-1"));
        assertThat(qa.get("name").asText()).as("an override").isEqualTo("treatment");
        assertThat(qa.at("/payload/value").asText()).contains("neural");
        assertThat(variant(snapshot, "search.v2.variants", Map.of("userId", "u1", "properties", Map.of("country", "CN"))))
                .isEqualTo(UnleashVariants.DISABLED);

        // every flag, read back from the server, answers as the importer's own result does
        Snapshot expected = Snapshot.compile(UnleashImport.convert(payload).environmentData());
        for (int user = 0; user < 300; user++) {
            Map<String, Object> context = Map.of("userId", "user-" + user, "appName", user % 2 == 0 ? "web" : "cli",
                    "properties", Map.of("email", "u" + user + (user % 3 == 0 ? "@EXAMPLE.com" : "@mail.test")));
            for (String key : expected.flagKeys()) {
                assertThat(Evaluator.evaluate(snapshot, snapshot.flag(key), context(context)).jsonDetail().value())
                        .as("%s for %s", key, context)
                        .isEqualTo(Evaluator.evaluate(expected, expected.flag(key), context(context)).jsonDetail().value());
            }
            boolean treatment = variant(snapshot, "search.v2.variants", context).get("name").asText().equals("treatment");
            assertThat(enabled(snapshot, "treatment-banner", context)).isEqualTo(treatment);
        }

        JsonNode staging = admin.get(P + "/flags/checkout.new-flow/environments/staging").json();
        assertThat(staging.at("/config/on").asBoolean()).as("other environments start off").isFalse();
        JsonNode audit = admin.get(P + "/audit?flag=checkout.new-flow").json().get("items");
        assertThat(audit).hasSize(2);
        assertThat(audit).allSatisfy(event -> assertThat(event.get("action").asText()).isEqualTo("flag.import"));
        assertThat(audit.get(0).get("environment").asText()).as("the configuration written").isEqualTo("production");
        assertThat(audit.get(1).has("environment")).as("the definition created, project-wide").isFalse();
        assertThat(audit.get(1).has("before")).isFalse();
        assertThat(audit.get(1).at("/after/key").asText()).isEqualTo("checkout.new-flow");
    }

    @Test
    @Order(4)
    void importing_the_same_payload_again_changes_nothing() {
        int events = auditCount();
        long revision = revision("production");
        Http.Response again = admin.post(IMPORT, payload);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().at("/flags/created")).isEmpty();
        assertThat(again.json().at("/flags/updated")).isEmpty();
        assertThat(texts(again.json().at("/flags/unchanged"))).containsExactlyInAnyOrderElementsOf(
                concat(texts(firstImport.at("/flags/created")), texts(firstImport.at("/flags/updated"))));
        assertThat(again.json().at("/segments/unchanged")).hasSize(1);
        assertThat(auditCount()).isEqualTo(events);
        assertThat(revision("production")).isEqualTo(revision);
    }

    @Test
    @Order(5)
    void a_changed_payload_updates_only_what_changed() {
        ObjectNode changed = payload.deepCopy();
        ((ObjectNode) changed.withArray("features").get(2)).put("enabled", true);
        Http.Response response = admin.post(IMPORT, changed);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(texts(response.json().at("/flags/updated"))).containsExactly("dark-mode");
        Snapshot snapshot = Snapshot.compile(readBack(firstImport));
        assertThat(enabled(snapshot, "dark-mode", Map.of())).isTrue();
        assertThat(enabled(snapshot, "legacy-export", Map.of())).as("its parent is enabled now").isFalse();
    }

    @Test
    @Order(6)
    void a_definition_the_import_changes_is_audited_and_served_in_every_environment() {
        String stagingSdk = server.token("sdk", "default", "staging");
        long stagingRevision = revision("staging");
        int events = auditCount();
        ObjectNode changed = payload.deepCopy();
        ((ObjectNode) changed.withArray("features").get(2)).put("enabled", true); // as the import before left it
        ((ObjectNode) changed.withArray("features").get(0)).put("description", "The new checkout, now for everyone");

        Http.Response response = admin.post(IMPORT, changed);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(texts(response.json().at("/flags/updated"))).containsExactly("checkout.new-flow");
        assertThat(revision("staging")).as("staging serves the new definition at a new revision").isGreaterThan(stagingRevision);
        Await.until(Duration.ofSeconds(30), "staging's SDKs are served the new definition",
                () -> admin.as(stagingSdk).get("/sdk/v1/flags").text().contains("The new checkout, now for everyone"));
        JsonNode definitionEvent = admin.get(P + "/audit?flag=checkout.new-flow&limit=1").json().at("/items/0");
        assertThat(definitionEvent.get("action").asText()).isEqualTo("flag.import");
        assertThat(definitionEvent.has("environment")).as("a definition change is project-wide: %s", definitionEvent).isFalse();
        assertThat(definitionEvent.at("/before/description").asText()).isEqualTo("The new checkout, rolled out gradually");
        assertThat(definitionEvent.at("/after/description").asText()).isEqualTo("The new checkout, now for everyone");
        assertThat(auditCount()).as("only the definition changed: one event").isEqualTo(events + 1);
    }

    /** The imported flags and segments, read back over the REST API. */
    private static EnvironmentData readBack(JsonNode summary) {
        List<String> flagKeys = concat(texts(summary.at("/flags/created")), texts(summary.at("/flags/updated")));
        List<EnvironmentFlag> flags = new ArrayList<>();
        for (String key : flagKeys) {
            Flag flag = read(admin.get(P + "/flags/" + key), Flag.class, null);
            FlagConfig config = read(admin.get(P + "/flags/" + key + "/environments/production"), FlagConfig.class, "config");
            flags.add(new EnvironmentFlag(flag, config));
        }
        List<EnvironmentSegment> segments = new ArrayList<>();
        for (String key : texts(summary.at("/segments/created"))) {
            segments.add(new EnvironmentSegment(key, read(admin.get(P + "/segments/" + key + "/environments/production"),
                    SegmentConfig.class, "config")));
        }
        return new EnvironmentData(0, flags, segments);
    }

    private static <T> T read(Http.Response response, Class<T> type, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        try {
            return LENIENT.treeToValue(field == null ? response.json() : response.json().get(field), type);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean enabled(Snapshot snapshot, String key, Map<String, Object> unleashContext) {
        return Evaluator.isTrue(snapshot, snapshot.flag(key), context(unleashContext));
    }

    private static JsonNode variant(Snapshot snapshot, String key, Map<String, Object> unleashContext) {
        return Evaluator.evaluate(snapshot, snapshot.flag(key), context(unleashContext)).jsonDetail().value();
    }

    private static Context context(Map<String, Object> unleashContext) {
        return UnleashContexts.toContext(Http.mapper().valueToTree(unleashContext), Instant.parse("2025-06-01T12:00:00Z"));
    }

    private static String flagOf(String feature) {
        for (JsonNode imported : firstImport.get("features")) {
            if (imported.get("name").asText().equals(feature)) {
                return imported.get("flag").asText();
            }
        }
        throw new AssertionError("no feature " + feature);
    }

    private static int auditCount() {
        return admin.get(P + "/audit?limit=500").json().get("items").size();
    }

    private static long revision(String environment) {
        return admin.get(P + "/environments/" + environment).json().get("revision").asLong();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
