package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The flag API end to end against real PostgreSQL: definitions, configurations, references, versions, audit. */
@DarklaunchServerTest
class FlagsIT {

    private static final String P = "/api/v1/projects/default";
    @Given
    private static TestServer server;
    @Given
    private static Fixtures given;
    @Given
    private static Http admin;

    static Map<String, Object> booleanFlag(String key) {
        return Map.of("key", key, "name", "Flag " + key, "kind", "boolean", "tags", List.of("team-a"),
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

    @Test
    void first_start_creates_the_default_project_with_three_environments() {
        JsonNode project = admin.get(P).json();
        assertThat(project.get("environments")).extracting(e -> e.get("key").asText())
                .startsWith("development", "staging", "production");
        assertThat(project.at("/environments/2/production").asBoolean()).isTrue();
    }

    @Test
    void a_new_flag_is_off_everywhere_and_turning_it_on_is_versioned_audited_and_bumps_the_revision() {
        Http.Response created = admin.post(P + "/flags", booleanFlag("checkout"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).hasValue(P + "/flags/checkout");
        assertThat(created.json().at("/environments/production/on").asBoolean()).isFalse();
        long revision = admin.get(P + "/environments/production").json().get("revision").asLong();

        Http.Response on = admin.post(P + "/flags/checkout/environments/production/on", Map.of("comment", "go live"));
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().at("/config/on").asBoolean()).isTrue();
        assertThat(on.header("ETag")).hasValue("\"2\"");
        assertThat(admin.get(P + "/environments/production").json().get("revision").asLong()).isEqualTo(revision + 1);

        Http.Response again = admin.post(P + "/flags/checkout/environments/production/on", null);
        assertThat(again.json().get("version").asLong()).as("switching on twice changes nothing").isEqualTo(2);

        JsonNode events = admin.get(P + "/audit?flag=checkout&environment=production").json().get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("action").asText()).isEqualTo("flag.on");
        assertThat(events.get(0).get("comment").asText()).isEqualTo("go live");
        assertThat(events.get(0).at("/before/on").asBoolean()).isFalse();
        assertThat(events.get(0).at("/after/on").asBoolean()).isTrue();
        assertThat(events.get(0).get("actor").asText()).contains("admin token");
    }

    @Test
    void if_match_protects_every_write_from_lost_updates() {
        given.flag(booleanFlag("guarded"));
        Http.Response flag = admin.get(P + "/flags/guarded");
        assertThat(flag.header("ETag")).hasValue("\"1\"");
        Map<String, Object> renamed = new HashMap<>(booleanFlag("guarded"));
        renamed.put("name", "Renamed");
        assertThat(admin.with("If-Match", "\"7\"").put(P + "/flags/guarded", renamed).status()).isEqualTo(412);
        assertThat(admin.with("If-Match", "\"1\"").put(P + "/flags/guarded", renamed).status()).isEqualTo(200);
        assertThat(admin.with("If-Match", "\"1\"").put(P + "/flags/guarded", renamed).status()).isEqualTo(412);
        assertThat(admin.with("If-Match", "\"1\"").post(P + "/flags/guarded/environments/staging/on", null).status()).isEqualTo(200);
        assertThat(admin.with("If-Match", "\"1\"").post(P + "/flags/guarded/environments/staging/off", null).status()).isEqualTo(412);
        assertThat(admin.with("If-Match", "\"1\"").delete(P + "/flags/guarded").status()).isEqualTo(412);
        assertThat(admin.get(P + "/flags/guarded").json().get("name").asText()).isEqualTo("Renamed");
    }

    @Test
    void a_configuration_with_rules_rollout_and_segments_round_trips() {
        given.flag(booleanFlag("rich"));
        assertThat(admin.post(P + "/segments", Map.of("key", "beta-testers", "name", "Beta testers")).status()).isEqualTo(201);
        Map<String, Object> config = Map.of("on", true, "offVariation", 1,
                "targets", List.of(Map.of("variation", 0, "values", List.of("user-1"))),
                "rules", List.of(
                        Map.of("id", "beta", "clauses", List.of(Map.of("attribute", "key", "op", "segmentMatch",
                                "values", List.of("beta-testers"))), "serve", Map.of("variation", 0)),
                        Map.of("id", "norway", "clauses", List.of(Map.of("attribute", "country", "op", "in", "values", List.of("NO")),
                                        Map.of("attribute", "version", "op", "semverGte", "values", List.of("2.1.0"))),
                                "serve", Map.of("rollout", Map.of("variations", List.of(
                                        Map.of("variation", 0, "weight", 25_000), Map.of("variation", 1, "weight", 75_000)))))),
                "fallthrough", Map.of("variation", 1));
        Http.Response put = admin.put(P + "/flags/rich/environments/staging", config);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        JsonNode stored = admin.get(P + "/flags/rich/environments/staging").json().get("config");
        assertThat(stored.at("/rules/1/serve/rollout/variations/0/weight").asInt()).isEqualTo(25_000);
        assertThat(stored.at("/rules/0/clauses/0/op").asText()).isEqualTo("segmentMatch");
        assertThat(stored.at("/targets/0/values/0").asText()).isEqualTo("user-1");

        Http.Response deleteSegment = admin.delete(P + "/segments/beta-testers");
        assertThat(deleteSegment.status()).as("a segment in use cannot be deleted").isEqualTo(409);
        assertThat(deleteSegment.json().get("message").asText()).contains("rich");
    }

    @Test
    void a_configuration_without_off_variation_and_with_metadata_round_trips_and_bad_metadata_is_refused() {
        given.flag(booleanFlag("described"));
        java.util.HashMap<String, Object> config = new java.util.HashMap<>(Map.of("on", false,
                "fallthrough", Map.of("variation", 0), "metadata", Map.of("version", "1.0.2", "ticket", 42, "reviewed", true)));
        config.put("offVariation", null); // serve the caller's default while off
        Http.Response put = admin.put(P + "/flags/described/environments/staging", config);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        JsonNode stored = admin.get(P + "/flags/described/environments/staging").json().get("config");
        assertThat(stored.has("offVariation")).isTrue();
        assertThat(stored.get("offVariation").isNull()).isTrue();
        assertThat(stored.at("/metadata/ticket").asInt()).isEqualTo(42);
        assertThat(stored.at("/metadata/version").asText()).isEqualTo("1.0.2");

        Http.Response nested = admin.put(P + "/flags/described/environments/staging", Map.of("on", false, "offVariation", 1,
                "fallthrough", Map.of("variation", 0), "metadata", Map.of("owner", Map.of("team", "x"))));
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.json().get("field").asText()).isEqualTo("metadata.owner");
        assertThat(admin.get(P + "/flags/described/environments/staging").json().at("/config/metadata/ticket").asInt())
                .as("nothing written").isEqualTo(42);
    }

    @Test
    void references_must_exist_and_prerequisites_cannot_form_a_cycle() {
        given.flag(booleanFlag("parent"));
        given.flag(booleanFlag("child"));
        Http.Response unknownSegment = admin.put(P + "/flags/child/environments/production", Map.of("on", true, "offVariation", 1,
                "fallthrough", Map.of("variation", 0), "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "key",
                        "op", "segmentMatch", "values", List.of("nobody"))), "serve", Map.of("variation", 0)))));
        assertThat(unknownSegment.status()).isEqualTo(400);
        assertThat(unknownSegment.json().get("field").asText()).isEqualTo("rules[0].clauses[0].values[0]");

        Http.Response unknownPrerequisite = admin.put(P + "/flags/child/environments/production", prerequisite("ghost"));
        assertThat(unknownPrerequisite.status()).isEqualTo(400);
        assertThat(unknownPrerequisite.json().get("field").asText()).isEqualTo("prerequisites[0].flag");

        assertThat(admin.put(P + "/flags/child/environments/production", prerequisite("parent")).status()).isEqualTo(200);
        Http.Response cycle = admin.put(P + "/flags/parent/environments/production", prerequisite("child"));
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.json().get("message").asText()).contains("cycle", "parent → child → parent");

        Http.Response deleteParent = admin.delete(P + "/flags/parent");
        assertThat(deleteParent.status()).as("a prerequisite cannot be deleted").isEqualTo(409);
        assertThat(admin.get(P + "/flags/parent").status()).isEqualTo(200);
    }

    @Test
    void a_definition_change_that_orphans_a_served_variation_is_refused() {
        Map<String, Object> flag = Map.of("key", "colour", "name", "Colour", "kind", "string",
                "variations", List.of(Map.of("value", "red"), Map.of("value", "green"), Map.of("value", "blue")));
        given.flag(flag);
        given.configuration("colour", "production", Map.of("on", true, "offVariation", 0, "fallthrough", Map.of("variation", 2)));
        Http.Response shrink = admin.put(P + "/flags/colour", Map.of("key", "colour", "name", "Colour", "kind", "string",
                "variations", List.of(Map.of("value", "red"), Map.of("value", "green"))));
        assertThat(shrink.status()).isEqualTo(409);
        assertThat(shrink.json().get("message").asText()).contains("production");
    }

    @Test
    void a_new_environment_starts_with_every_flag_off() {
        given.flag(booleanFlag("everywhere"));
        given.toggle("everywhere", "production", true);
        Http.Response created = admin.post(P + "/environments", Map.of("key", "qa", "name", "QA"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode config = admin.get(P + "/flags/everywhere/environments/qa").json();
        assertThat(config.at("/config/on").asBoolean()).isFalse();
        assertThat(admin.post(P + "/environments", Map.of("key", "qa", "name", "QA")).status()).isEqualTo(409);
    }

    @Test
    void flags_are_listed_by_key_with_filters_and_cursor_paging() {
        for (String key : List.of("list-a", "list-b", "list-c")) {
            given.flag(booleanFlag(key));
        }
        List<String> keys = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get(P + "/flags?q=list-&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(item -> keys.add(item.get("key").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(keys).containsExactly("list-a", "list-b", "list-c");
        assertThat(admin.get(P + "/flags?tag=no-such-tag").json().get("items")).isEmpty();
        assertThat(admin.get(P + "/flags?q=%25").json().get("items")).as("% is matched literally").isEmpty();
    }

    /**
     * The list says who gets each flag without a request per environment: each environment's
     * configuration as stored, and the deployment whose release (running or paused) ships the
     * flag there; a cancelled one is no longer named.
     */
    @Test
    void the_list_carries_each_environments_configuration_and_the_release_shipping_the_flag() {
        given.flag(booleanFlag("listed-config"));
        Map<String, Object> config = Map.of("on", true, "offVariation", 1, "rules", List.of(Map.of(
                        "clauses", List.of(Map.of("attribute", "country", "op", "in", "values", List.of("NO", "SE"))),
                        "serve", Map.of("variation", 0))),
                "fallthrough", Map.of("rollout", Map.of("variations", List.of(Map.of("variation", 0, "weight", 10_000),
                        Map.of("variation", 1, "weight", 90_000)))));
        given.configuration("listed-config", "staging", config);
        Http pipeline = new Http(server.base(), server.token("pipeline", "default", "production"));
        long deployment = given.as(pipeline).deployment(Map.of("service", "checkout", "version", "1.4.2",
                "environment", "production", "flags", List.of("listed-release"))).get("id").asLong();
        given.as(pipeline).release(deployment, Map.of("steps", List.of(Map.of("percentage", 10),
                Map.of("percentage", 50, "after", "PT1H"))));

        JsonNode items = admin.get(P + "/flags?q=listed-&limit=500").json().get("items");
        JsonNode listed = items.get(0).get("environments");
        assertThat(items.get(0).get("key").asText()).isEqualTo("listed-config");
        assertThat(listed.at("/staging/config"))
                .isEqualTo(admin.get(P + "/flags/listed-config/environments/staging").json().get("config"));
        assertThat(listed.at("/staging/config/rules/0/clauses/0/values").toString()).isEqualTo("[\"NO\",\"SE\"]");
        assertThat(listed.at("/production/config/on").asBoolean()).isFalse();
        assertThat(listed.get("production").has("release")).as("no release ships it").isFalse();

        JsonNode released = items.get(1).get("environments");
        assertThat(items.get(1).get("key").asText()).isEqualTo("listed-release");
        assertThat(released.at("/production/release").toString()).isEqualTo(
                "{\"deployment\":" + deployment + ",\"service\":\"checkout\",\"version\":\"1.4.2\",\"state\":\"running\"}");
        assertThat(released.at("/production/config/fallthrough/rollout/variations/0/weight").asInt()).isEqualTo(10_000);
        assertThat(released.get("staging").has("release")).isFalse();
        assertThat(admin.get(P + "/flags/listed-release").json().at("/environments/production/release/service").asText())
                .as("the flag itself says the same").isEqualTo("checkout");

        given.as(pipeline).rollback(deployment);
        assertThat(admin.get(P + "/flags/listed-release").json().at("/environments/production").has("release"))
                .as("a cancelled release no longer sets the share").isFalse();
    }

    @Test
    void the_audit_log_pages_newest_first_without_gaps() {
        given.flag(booleanFlag("audited"));
        for (int i = 0; i < 5; i++) {
            given.toggle("audited", "development", i % 2 == 0);
        }
        List<Long> seqs = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get(P + "/audit?flag=audited&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(item -> seqs.add(item.get("seq").asLong()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(seqs).hasSize(6).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(admin.get(P + "/audit?since=2999-01-01T00:00:00Z").json().get("items")).isEmpty();
    }

    @Test
    void audit_events_cannot_be_changed_or_deleted_even_in_the_database() throws Exception {
        java.net.URI uri = java.net.URI.create(server.databaseUrl());
        String[] user = uri.getUserInfo().split(":", 2);
        try (var connection = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), user[0], user[1])) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.createStatement().execute("DELETE FROM audit_events"))
                    .hasMessageContaining("append-only");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.createStatement().execute("UPDATE audit_events SET actor = 'x'"))
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void tokens_are_revocable_at_once_and_the_last_admin_token_is_kept() {
        JsonNode created = given.token(Map.of("name", "temp", "kind", "pipeline", "project", "default",
                "environments", List.of("staging")));
        String secret = created.get("secret").asText();
        assertThat(admin.as(secret).get(P + "/flags").status()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/tokens/" + created.at("/token/id").asLong()).status()).isEqualTo(200);
        assertThat(admin.as(secret).get(P + "/flags").status()).isEqualTo(401);

        long bootstrapId = 0;
        for (JsonNode token : admin.get("/api/v1/tokens").json().get("items")) {
            if (token.get("kind").asText().equals("admin") && !token.has("revokedAt")) {
                bootstrapId = token.get("id").asLong();
            }
        }
        Http.Response lastAdmin = admin.delete("/api/v1/tokens/" + bootstrapId);
        assertThat(lastAdmin.status()).isEqualTo(409);
        assertThat(admin.get(P).status()).isEqualTo(200);
    }

    @Test
    void a_pipeline_token_needs_a_project_and_existing_environments() {
        Http.Response noEnvironment = admin.post("/api/v1/tokens", Map.of("name", "ci", "kind", "pipeline", "project", "default",
                "environments", List.of("moon")));
        assertThat(noEnvironment.status()).isEqualTo(400);
        assertThat(noEnvironment.json().get("field").asText()).isEqualTo("environments[0]");
        Http.Response sdkTwoEnvironments = admin.post("/api/v1/tokens", Map.of("name", "app", "kind", "sdk", "project", "default",
                "environments", List.of("staging", "production")));
        assertThat(sdkTwoEnvironments.status()).isEqualTo(400);
    }

    private static Map<String, Object> prerequisite(String flag) {
        return Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0),
                "prerequisites", List.of(Map.of("flag", flag, "variation", 0)));
    }
}
