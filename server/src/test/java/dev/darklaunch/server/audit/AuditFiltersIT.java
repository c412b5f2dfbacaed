package dev.darklaunch.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who did it and what was done, as filters of the audit log (in one project and across all), and
 * the names people know a deployment by, carried with its events.
 */
@DarklaunchServerTest
class AuditFiltersIT {

    private static final String P = "/api/v1/projects/default";
    @Given
    private static TestServer server;
    @Given
    private static Fixtures given;
    @Given
    private static Http admin;

    @Test
    void the_actor_filter_finds_a_persons_changes_by_any_part_of_their_name_in_any_case() {
        server.user("filter-editor@example.com", "a long enough password", "editor");
        Http editor = server.signIn("filter-editor@example.com", "a long enough password").http();
        given.booleanFlag("by-editor");
        Fixtures.succeeded(editor.post(P + "/flags/by-editor/environments/staging/on", Map.of("comment", "try it")));
        given.toggle("by-editor", "development", true);

        for (String who : List.of("filter-editor@example.com", "FILTER-EDITOR", "user:filter")) {
            JsonNode items = admin.get(P + "/audit?flag=by-editor&actor=" + encode(who)).json().get("items");
            assertThat(actions(items)).as("actor=%s", who).containsExactly("flag.on");
            assertThat(items.get(0).get("actor").asText()).isEqualTo("user:filter-editor@example.com");
        }
        assertThat(actions(admin.get(P + "/audit?flag=by-editor&actor=" + encode("admin token")).json().get("items")))
                .containsExactly("flag.on", "flag.create");
        assertThat(admin.get(P + "/audit?actor=nobody-at-all").json().get("items")).isEmpty();
    }

    @Test
    void the_action_filter_takes_an_action_or_a_kind_of_actions() {
        given.booleanFlag("by-action");
        given.toggle("by-action", "development", true);
        given.toggle("by-action", "development", false);

        assertThat(actions(admin.get(P + "/audit?flag=by-action&action=flag.off").json().get("items"))).containsExactly("flag.off");
        assertThat(actions(admin.get(P + "/audit?flag=by-action&action=flag.*").json().get("items")))
                .containsExactly("flag.off", "flag.on", "flag.create");
        assertThat(admin.get(P + "/audit?flag=by-action&action=flag").json().get("items")).as("flag is no action").isEmpty();
        assertThat(admin.get(P + "/audit?flag=by-action&action=fla.*").json().get("items")).as("a word is whole").isEmpty();
        assertThat(actions(admin.get("/api/v1/audit?project=default&action=flag.create&flag=by-action").json().get("items")))
                .containsExactly("flag.create");
    }

    @Test
    void a_bad_actor_or_action_is_refused_with_400_naming_the_field() {
        for (String list : List.of(P + "/audit", "/api/v1/audit")) {
            for (String bad : List.of("Flag.On", "flag..on", "flag.on;drop", ".flag", "flag.", "flag on", "flag*", "*", "flag.*.on")) {
                Http.Response response = admin.get(list + "?action=" + encode(bad));
                assertThat(response.status()).as("%s action=%s", list, bad).isEqualTo(400);
                assertThat(response.json().get("field").asText()).isEqualTo("action");
            }
            Http.Response tooLong = admin.get(list + "?actor=" + "x".repeat(1001));
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.json().get("field").asText()).isEqualTo("actor");
        }
    }

    @Test
    void events_of_a_deployment_carry_its_service_and_version() {
        JsonNode deployment = given.deployment(Map.of("service", "checkout", "version", "1.4.2", "environment", "staging",
                "flags", List.of("named-release")));
        long id = deployment.get("id").asLong();
        given.release(id, null);
        given.rollback(id);

        JsonNode items = admin.get(P + "/audit?deployment=" + id + "&action=deployment.*").json().get("items");
        assertThat(actions(items)).first().isEqualTo("deployment.rollback");
        assertThat(actions(items)).last().isEqualTo("deployment.create");
        assertThat(actions(admin.get(P + "/audit?deployment=" + id + "&action=deployment.release").json().get("items")))
                .as("one action, exactly").containsExactly("deployment.release");
        assertThat(actions(admin.get(P + "/audit?deployment=" + id + "&action=deployment.release.*").json().get("items")))
                .as("the release and its steps").contains("deployment.release", "deployment.release.step")
                .allSatisfy(action -> assertThat(action).startsWith("deployment.release"));
        items.forEach(item -> assertThat(item.get("deploymentName").asText()).isEqualTo("checkout 1.4.2"));
        JsonNode flagEvent = admin.get(P + "/audit?flag=named-release").json().get("items").get(0);
        assertThat(flagEvent.get("action").asText()).as("its flag, switched off by its rollback").isEqualTo("flag.off");
        assertThat(flagEvent.get("deploymentName").asText()).isEqualTo("checkout 1.4.2");
        given.booleanFlag("no-deployment");
        assertThat(admin.get(P + "/audit?flag=no-deployment").json().at("/items/0").has("deploymentName")).isFalse();
    }

    private static List<String> actions(JsonNode items) {
        List<String> actions = new ArrayList<>();
        items.forEach(item -> actions.add(item.get("action").asText()));
        return actions;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
