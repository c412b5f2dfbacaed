package dev.darklaunch.server.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flags as code on a real server: export → plan → apply → export is the identity, a changed
 * document plans exactly its changes and applies them as one revision per environment, prune
 * deletes only when asked, a plan is refused once the project moved, invalid documents name their
 * path and write nothing, YAML and JSON both, and a thousand flags round-trip.
 */
@DarklaunchServerTest
class FlagsAsCodeIT {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> ENVIRONMENTS = List.of("development", "staging", "production");

    @Given
    private static TestServer server;
    @Given
    private static Http admin;
    @Given
    private static Fixtures given;

    /** A project with two flags (rules, targets, a prerequisite, a segment match) and a segment. */
    private static String project(String key) {
        Fixtures in = given.inProject(key);
        given.project(key, "Project " + key);
        in.segment(Map.of("key", "beta", "name", "Beta testers"));
        in.segmentConfiguration("beta", "production", Map.of("included", List.of("ann", "bob"), "excluded", List.of(),
                "rules", List.of()));
        in.booleanFlag("base");
        in.booleanFlag("checkout");
        in.flag(Map.of("key", "banner", "name", "Banner", "kind", "string", "tags", List.of("web"),
                "variations", List.of(Map.of("value", "red"), Map.of("value", "blue"))));
        in.configuration("checkout", "production", Map.of("on", true, "offVariation", 1,
                "targets", List.of(Map.of("variation", 0, "values", List.of("carol"))),
                "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "key", "op", "segmentMatch", "values", List.of("beta"))),
                        "serve", Map.of("variation", 0))),
                "prerequisites", List.of(Map.of("flag", "base", "variation", 0)),
                "fallthrough", Map.of("rollout", Map.of("variations", List.of(Map.of("variation", 0, "weight", 10_000),
                        Map.of("variation", 1, "weight", 90_000))))));
        return "/api/v1/projects/" + key;
    }

    @Test
    void export_then_apply_then_export_gives_the_same_bytes_in_yaml_and_in_json() {
        String p = project("roundtrip");
        Http.Response yaml = admin.get(p + "/export");
        assertThat(yaml.status()).as(yaml.toString()).isEqualTo(200);
        assertThat(yaml.header("Content-Type").orElseThrow()).startsWith("application/yaml");
        assertThat(yaml.text()).contains("key: checkout").doesNotContain("version").doesNotContain("updatedAt");
        Map<String, Long> revisions = revisions(p);

        JsonNode plan = applyYaml(p + "/apply?dryRun=true", yaml.text());
        assertThat(plan.get("changes").asBoolean()).as(plan.toString()).isFalse();
        assertThat(plan.get("resources")).allSatisfy(r -> assertThat(r.get("action").asText()).isEqualTo("unchanged"));
        assertThat(plan.get("revisions").toString()).isEqualTo(Http.mapper().valueToTree(revisions).toString());
        JsonNode applied = applyYaml(p + "/apply", yaml.text());
        assertThat(applied.get("changes").asBoolean()).isFalse();
        assertThat(revisions(p)).as("an apply that changes nothing makes no revision").isEqualTo(revisions);
        assertThat(admin.get(p + "/export").text()).isEqualTo(yaml.text());

        Http.Response json = admin.with("Accept", "application/json").get(p + "/export");
        assertThat(json.header("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(admin.get(p + "/export?format=json").text()).isEqualTo(json.text());
        Http.Response jsonPlan = admin.post(p + "/apply?dryRun=true", json.text().getBytes(StandardCharsets.UTF_8));
        assertThat(jsonPlan.status()).as(jsonPlan.toString()).isEqualTo(200);
        assertThat(jsonPlan.json().get("changes").asBoolean()).isFalse();
        assertThat(json.json()).isEqualTo(readYaml(yaml.text()));
    }

    @Test
    void a_changed_document_plans_exactly_its_changes_and_applies_them_as_one_revision_per_environment() throws Exception {
        String p = project("changes");
        ObjectNode document = readYaml(admin.get(p + "/export").text());
        ObjectNode checkout = flag(document, "checkout");
        ((ObjectNode) checkout.at("/environments/staging")).put("on", true);
        ((ObjectNode) checkout.at("/environments/production/targets/0")).withArray("values").add("dave");
        ((ObjectNode) flag(document, "banner")).put("description", "The top banner");
        ObjectNode added = ((ArrayNode) document.get("flags")).addObject();
        added.put("key", "added").put("name", "Added").put("kind", "boolean");
        added.putArray("variations").add(YAML.createObjectNode().put("value", true)).add(YAML.createObjectNode().put("value", false));
        added.putObject("environments").set("development", YAML.valueToTree(Map.of("on", true, "offVariation", 1,
                "fallthrough", Map.of("variation", 0))));
        String text = YAML.writeValueAsString(document);
        Map<String, Long> revisions = revisions(p);

        JsonNode plan = applyYaml(p + "/apply?dryRun=true", text);
        assertThat(changed(plan)).containsExactlyInAnyOrder(
                "flag banner update", "flag added create", "flagConfig added development create", "flagConfig added staging create",
                "flagConfig added production create", "flagConfig checkout staging update", "flagConfig checkout production update");
        assertThat(resource(plan, "flagConfig", "checkout", "staging").get("diff").toString())
                .isEqualTo("[{\"path\":\"on\",\"before\":false,\"after\":true}]");
        assertThat(resource(plan, "flagConfig", "checkout", "production").at("/diff/0/path").asText()).isEqualTo("targets[0].values[1]");
        assertThat(resource(plan, "flag", "banner", null).at("/diff/0/path").asText()).isEqualTo("description");
        assertThat(resource(plan, "flagConfig", "checkout", "production").get("version").asLong()).isEqualTo(2);
        assertThat(revisions(p)).as("a dry run writes nothing").isEqualTo(revisions);

        JsonNode applied = admin.send("POST", p + "/apply?comment=" + "from%20git&expect=" + plan.get("token").asText(),
                text, "application/yaml").json();
        assertThat(applied.get("changes").asBoolean()).as(applied.toString()).isTrue();
        Map<String, Long> after = revisions(p);
        ENVIRONMENTS.forEach(e -> assertThat(after.get(e)).as("one revision in " + e).isEqualTo(revisions.get(e) + 1));
        assertThat(admin.get(p + "/flags/checkout/environments/staging").json().at("/config/on").asBoolean()).isTrue();
        assertThat(admin.get(p + "/flags/added/environments/development").json().at("/config/on").asBoolean()).isTrue();
        assertThat(admin.get(p + "/flags/added/environments/production").json().at("/config/on").asBoolean()).isFalse();

        JsonNode events = admin.get(p + "/audit?limit=50").json().get("items");
        JsonNode apply = find(events, "project.apply");
        assertThat(apply.at("/after/document").asText()).isEqualTo("sha256:" + sha256(text));
        assertThat(apply.get("comment").asText()).isEqualTo("from git");
        assertThat(find(events, "flag.create").get("targetKey").asText()).isEqualTo("added");
        assertThat(applyYaml(p + "/apply?dryRun=true", admin.get(p + "/export").text()).get("changes").asBoolean()).isFalse();
    }

    @Test
    void a_document_that_leaves_a_flag_out_leaves_it_alone_unless_prune_is_asked() throws Exception {
        String p = project("prune");
        ObjectNode document = readYaml(admin.get(p + "/export").text());
        ((ArrayNode) document.get("flags")).remove(index(document, "banner"));
        String text = YAML.writeValueAsString(document);

        assertThat(applyYaml(p + "/apply", text).get("changes").asBoolean()).isFalse();
        assertThat(admin.get(p + "/flags/banner").status()).isEqualTo(200);

        JsonNode plan = applyYaml(p + "/apply?dryRun=true&prune=true", text);
        assertThat(changed(plan)).containsExactly("flag banner delete");
        assertThat(admin.get(p + "/flags/banner").status()).isEqualTo(200);
        applyYaml(p + "/apply?prune=true", text);
        assertThat(admin.get(p + "/flags/banner").status()).isEqualTo(404);
        assertThat(admin.get(p + "/flags/checkout").status()).isEqualTo(200);

        ObjectNode withoutBase = readYaml(admin.get(p + "/export").text());
        ((ArrayNode) withoutBase.get("flags")).remove(index(withoutBase, "base"));
        Http.Response refused = admin.send("POST", p + "/apply?prune=true", YAML.writeValueAsString(withoutBase), "application/yaml");
        assertThat(refused.status()).as("checkout requires base").isEqualTo(400);
        assertThat(refused.json().get("field").asText()).endsWith("environments.production.prerequisites[0].flag");
        assertThat(admin.get(p + "/flags/base").status()).isEqualTo(200);
    }

    @Test
    void an_edit_between_plan_and_apply_fails_the_apply_with_412_and_writes_nothing() throws Exception {
        String p = project("concurrent");
        ObjectNode document = readYaml(admin.get(p + "/export").text());
        ((ObjectNode) flag(document, "banner").at("/environments/production")).put("on", true);
        String text = YAML.writeValueAsString(document);
        JsonNode plan = applyYaml(p + "/apply?dryRun=true", text);

        given.inProject("concurrent").toggle("base", "staging", true);
        Map<String, Long> revisions = revisions(p);
        int events = admin.get(p + "/audit?limit=500").json().get("items").size();
        Http.Response refused = admin.send("POST", p + "/apply?expect=" + plan.get("token").asText(), text, "application/yaml");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(412);
        assertThat(revisions(p)).isEqualTo(revisions);
        assertThat(admin.get(p + "/flags/banner/environments/production").json().at("/config/on").asBoolean()).isFalse();
        assertThat(admin.get(p + "/audit?limit=500").json().get("items").size()).isEqualTo(events);

        JsonNode again = applyYaml(p + "/apply?dryRun=true", text);
        assertThat(applyYaml(p + "/apply?expect=" + again.get("token").asText(), text).get("changes").asBoolean()).isTrue();
    }

    @Test
    void invalid_documents_are_a_400_naming_the_document_path_and_write_nothing() throws Exception {
        String p = project("invalid");
        String exported = admin.get(p + "/export").text();
        Map<String, Long> revisions = revisions(p);
        int events = admin.get(p + "/audit?limit=500").json().get("items").size();
        int checkout = index(readYaml(exported), "checkout");

        ObjectNode badServe = readYaml(exported);
        ((ObjectNode) flag(badServe, "banner").at("/environments/development")).put("on", true); // a valid change, refused with the rest
        ((ObjectNode) flag(badServe, "checkout").at("/environments/production/rules/0/serve")).put("variation", 7);
        assertThat(refusal(p, badServe)).startsWith("flags[" + checkout + "].environments.production.rules[0]");

        ObjectNode unknownEnvironment = readYaml(exported);
        ObjectNode environments = (ObjectNode) flag(unknownEnvironment, "checkout").get("environments");
        environments.set("qa", environments.get("production").deepCopy());
        assertThat(refusal(p, unknownEnvironment)).isEqualTo("flags[" + checkout + "].environments.qa");

        ObjectNode unknownField = readYaml(exported);
        flag(unknownField, "checkout").put("colour", "green");
        assertThat(refusal(p, unknownField)).isEqualTo("flags[" + checkout + "].colour");

        ObjectNode missingSegment = readYaml(exported);
        ((ArrayNode) missingSegment.get("segments")).removeAll();
        Http.Response pruned = admin.send("POST", p + "/apply?prune=true", YAML.writeValueAsString(missingSegment), "application/yaml");
        assertThat(pruned.json().get("field").asText()).isEqualTo("flags[" + checkout + "].environments.production.rules[0].clauses[0].values[0]");

        for (String hostile : List.of("flags: !!java.io.File [\"/etc\"]", "flags: [", "a: &a [1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
                "flags: " + "[".repeat(500) + "]".repeat(500), "- just a list")) {
            Http.Response response = admin.send("POST", p + "/apply", hostile, "application/yaml");
            assertThat(response.status()).as(hostile + " → " + response).isEqualTo(400);
            assertThat(response.json().get("error").asText()).isNotEmpty();
        }
        assertThat(admin.send("POST", p + "/apply", "flags: []", "text/plain").status()).isEqualTo(415);
        byte[] huge = ("flags: []\n#" + "x".repeat(11 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);
        Http.Response tooLarge = admin.send("POST", p + "/apply", huge, "application/yaml");
        assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").asText()).isNotEmpty();
        assertThat(revisions(p)).isEqualTo(revisions);
        assertThat(admin.get(p + "/audit?limit=500").json().get("items").size()).isEqualTo(events);
        assertThat(admin.get(p + "/export").text()).isEqualTo(exported);
    }

    @Test
    void readers_export_and_only_editors_apply() {
        String p = project("access");
        String pipeline = server.token("pipeline", "access", "production");
        Http.Response exported = admin.as(pipeline).get(p + "/export");
        assertThat(exported.status()).isEqualTo(200);
        assertThat(admin.as(pipeline).send("POST", p + "/apply?dryRun=true", exported.text(), "application/yaml").status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/projects/nowhere/export").status()).isEqualTo(404);
    }

    @Test
    void a_thousand_flag_project_round_trips() throws Exception {
        String p = "/api/v1/projects/large";
        given.project("large", "Large");
        ObjectNode document = YAML.createObjectNode();
        ArrayNode flags = document.putArray("flags");
        for (int i = 0; i < 1000; i++) {
            ObjectNode flag = flags.addObject();
            flag.put("key", String.format("flag-%04d", i)).put("name", "Flag " + i).put("kind", "boolean");
            flag.putArray("variations").add(YAML.createObjectNode().put("value", true)).add(YAML.createObjectNode().put("value", false));
            ObjectNode environments = flag.putObject("environments");
            for (String environment : ENVIRONMENTS) {
                environments.set(environment, YAML.valueToTree(Map.of("on", i % 2 == 0, "offVariation", 1,
                        "targets", List.of(Map.of("variation", 0, "values", List.of("user-" + i))),
                        "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "country", "op", "in", "values", List.of("NL", "DE"))),
                                "serve", Map.of("rollout", Map.of("variations", List.of(Map.of("variation", 0, "weight", 50_000),
                                        Map.of("variation", 1, "weight", 50_000)))))),
                        "fallthrough", Map.of("variation", 1))));
            }
        }
        document.putArray("segments");
        String text = YAML.writeValueAsString(document);
        Map<String, Long> revisions = revisions(p);

        long start = System.nanoTime();
        JsonNode created = applyYaml(p + "/apply", text);
        long applyMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(created.at("/summary/create").asInt()).isEqualTo(4000);
        ENVIRONMENTS.forEach(e -> assertThat(revisions(p).get(e)).isEqualTo(revisions.get(e) + 1));

        start = System.nanoTime();
        Http.Response exported = admin.get(p + "/export");
        long exportMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        JsonNode plan = applyYaml(p + "/apply?dryRun=true", exported.text());
        long planMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(plan.get("changes").asBoolean()).isFalse();
        start = System.nanoTime();
        applyYaml(p + "/apply", exported.text());
        long unchangedApplyMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(admin.get(p + "/export").text()).isEqualTo(exported.text());
        System.out.printf("flags as code, 1000 flags x 3 environments (%d bytes of YAML): apply (create) %d ms, export %d ms, "
                + "plan %d ms, apply (unchanged) %d ms%n", exported.text().length(), applyMillis, exportMillis, planMillis,
                unchangedApplyMillis);
    }

    @Test
    void an_apply_that_changes_a_released_flag_pauses_its_release_as_a_hand_edit_does() throws Exception {
        String p = project("released");
        Http.Response deployed = admin.post(p + "/deployments", Map.of("service", "checkout", "version", "2.0.1",
                "environment", "production", "flags", List.of("shipped")));
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
        long id = deployed.json().get("id").asLong();
        given.inProject("released").release(id, Map.of("steps", List.of(Map.of("percentage", 10),
                Map.of("percentage", 50, "after", "PT1H"))));
        ObjectNode document = readYaml(admin.get(p + "/export").text());
        ((ObjectNode) flag(document, "shipped").at("/environments/production")).put("on", false);
        applyYaml(p + "/apply", YAML.writeValueAsString(document));

        JsonNode release = admin.get(p + "/deployments/" + id).json().get("release");
        assertThat(release.get("state").asText()).isEqualTo("paused");
        assertThat(release.get("pauseReason").asText()).startsWith("paused because shipped was changed by ");
    }

    @Test
    void the_readme_loop_works_as_written() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("darklaunch.repo.root", "..")).resolve("README.md"));
        int section = readme.indexOf("## Flags as code");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        String script = readme.substring(start, readme.indexOf("\n```\n", start) + 1);
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true);
        builder.environment().put("DARKLAUNCH", server.base());
        builder.environment().put("TOKEN", TestServer.ADMIN_TOKEN);
        Process bash = builder.start();
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        assertThat(output).contains("\"action\":\"create\"").endsWith("\"changes\":false\n");
        String p = "/api/v1/projects/default";
        assertThat(admin.get(p + "/flags/new-checkout/environments/staging").json().at("/config/on").asBoolean()).isTrue();
        assertThat(find(admin.get(p + "/audit?limit=50").json().get("items"), "project.apply").get("comment").asText())
                .isEqualTo("merge of pull request 42");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static JsonNode applyYaml(String path, String yaml) {
        Http.Response response = admin.send("POST", path, yaml, "application/yaml");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static String refusal(String p, ObjectNode document) throws Exception {
        Http.Response response = admin.send("POST", p + "/apply", YAML.writeValueAsString(document), "application/yaml");
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        return response.json().get("field").asText();
    }

    private static ObjectNode readYaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode flag(ObjectNode document, String key) {
        return (ObjectNode) document.get("flags").get(index(document, key));
    }

    private static int index(ObjectNode document, String key) {
        JsonNode flags = document.get("flags");
        for (int i = 0; i < flags.size(); i++) {
            if (flags.get(i).get("key").asText().equals(key)) {
                return i;
            }
        }
        throw new AssertionError("no flag " + key);
    }

    private static List<String> changed(JsonNode plan) {
        List<String> changed = new ArrayList<>();
        plan.get("resources").forEach(r -> {
            if (!r.get("action").asText().equals("unchanged")) {
                changed.add(r.get("kind").asText() + " " + r.get("key").asText()
                        + (r.has("environment") ? " " + r.get("environment").asText() : "") + " " + r.get("action").asText());
            }
        });
        return changed;
    }

    private static JsonNode resource(JsonNode plan, String kind, String key, String environment) {
        for (JsonNode r : plan.get("resources")) {
            if (r.get("kind").asText().equals(kind) && r.get("key").asText().equals(key)
                    && (environment == null ? !r.has("environment") : environment.equals(r.path("environment").asText()))) {
                return r;
            }
        }
        throw new AssertionError("no " + kind + " " + key + " " + environment + " in " + plan);
    }

    private static JsonNode find(JsonNode events, String action) {
        for (JsonNode event : events) {
            if (event.get("action").asText().equals(action)) {
                return event;
            }
        }
        throw new AssertionError("no " + action + " in " + events);
    }

    private static Map<String, Long> revisions(String p) {
        Map<String, Long> revisions = new TreeMap<>();
        admin.get(p + "/environments").json().get("items").forEach(e -> revisions.put(e.get("key").asText(), e.get("revision").asLong()));
        return revisions;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
