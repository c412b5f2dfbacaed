package dev.darklaunch.server.testing;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flags every OFREP test evaluates, in project {@code default}, environment
 * {@code production}: one of each kind of decision (a switch, a rule on an attribute, a 30 %
 * rollout, a string, a number, an object), all client-side, plus one that is not and one that is off.
 */
public final class OfrepFixture {

    public static final String P = "/api/v1/projects/default";
    public static final String ENVIRONMENT = "production";
    /** Flags client tokens may evaluate. */
    public static final List<String> CLIENT_SIDE = List.of("banner", "by-country", "disabled", "discount", "layout", "on-off",
            "rollout-30");
    /** A flag only SDK tokens may evaluate. */
    public static final String SERVER_ONLY = "server-only";

    private OfrepFixture() {
    }

    public static void create(Http admin) {
        flag(admin, bool("on-off", true), Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
        flag(admin, bool("by-country", true), Map.of("on", true, "offVariation", 1,
                "rules", List.of(Map.of("id", "norway", "clauses", List.of(Map.of("attribute", "country", "op", "in",
                        "values", List.of("NO"))), "serve", Map.of("variation", 0))),
                "fallthrough", Map.of("variation", 1)));
        flag(admin, bool("rollout-30", true), Map.of("on", true, "offVariation", 1,
                "fallthrough", Map.of("rollout", Map.of("variations", List.of(
                        Map.of("variation", 0, "weight", 30_000), Map.of("variation", 1, "weight", 70_000))))));
        flag(admin, Map.of("key", "banner", "name", "Banner", "kind", "string", "clientSide", true,
                        "variations", List.of(Map.of("value", "blue", "name", "calm"), Map.of("value", "green", "name", "fresh"))),
                Map.of("on", true, "offVariation", 0,
                        "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "plan", "op", "in",
                                "values", List.of("premium"))), "serve", Map.of("variation", 1))),
                        "fallthrough", Map.of("variation", 0)));
        flag(admin, Map.of("key", "discount", "name", "Discount", "kind", "number", "clientSide", true,
                        "variations", List.of(Map.of("value", 0.15), Map.of("value", 10))),
                Map.of("on", true, "offVariation", 0,
                        "rules", List.of(Map.of("clauses", List.of(Map.of("attribute", "plan", "op", "in",
                                "values", List.of("premium"))), "serve", Map.of("variation", 1))),
                        "fallthrough", Map.of("variation", 0)));
        flag(admin, Map.of("key", "layout", "name", "Layout", "kind", "json", "clientSide", true,
                        "variations", List.of(Map.of("value", Map.of("columns", 2, "theme", "dark")), Map.of("value", Map.of("columns", 1)))),
                Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
        flag(admin, bool("disabled", true), Map.of("on", false, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
        flag(admin, bool(SERVER_ONLY, false), Map.of("on", true, "offVariation", 1, "fallthrough", Map.of("variation", 0)));
    }

    public static Map<String, Object> bool(String key, boolean clientSide) {
        return Map.of("key", key, "name", key, "kind", "boolean", "clientSide", clientSide,
                "variations", List.of(Map.of("value", true), Map.of("value", false)));
    }

    public static void flag(Http admin, Map<String, Object> definition, Map<String, Object> config) {
        Http.Response created = admin.post(P + "/flags", definition);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        configure(admin, (String) definition.get("key"), config);
    }

    public static void configure(Http admin, String key, Map<String, Object> config) {
        Http.Response put = admin.put(P + "/flags/" + key + "/environments/" + ENVIRONMENT, config);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
    }

    /** Creates a client token for production listing these origins; its secret. */
    public static String clientToken(Http admin, String... origins) {
        Http.Response response = admin.post("/api/v1/tokens", Map.of("name", "web shop", "kind", "client", "project", "default",
                "environments", List.of(ENVIRONMENT), "origins", List.of(origins)));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("secret").asText();
    }
}
