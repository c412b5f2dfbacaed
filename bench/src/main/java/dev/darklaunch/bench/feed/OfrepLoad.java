package dev.darklaunch.bench.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.server.Config;
import dev.darklaunch.server.DarklaunchServer;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.http.HttpSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Throughput and latency of remote evaluation for clients that do not evaluate locally (browsers,
 * other languages): Darklaunch's OFREP endpoints beside Unleash's frontend API, same flags, same
 * contexts, same load generator ({@code wrk}), in one run on one machine.
 *
 * <p>Both get 20 flags: 10 plainly on, 5 on for 30 % of users (sticky on the user id) and 5 on
 * for one country. Each request carries another user (1 024 rotate) and country, so no answer
 * comes from a cache keyed on the context. Cases: OFREP bulk, OFREP one flag, OFREP bulk
 * answered 304 (the client's ETag), and Unleash's {@code POST /api/frontend} (bulk; Unleash has
 * no single-flag frontend call). Options: see {@link #usage()}.
 */
public final class OfrepLoad {

    private static final String P = "/api/v1/projects/default";
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
    private static final String FRONTEND_TOKEN = "default:development.bench-frontend-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lua: the n-th request's user and country. */
    private static final String USER = "\"user-\" .. (n % 1024)";
    private static final String COUNTRY = "((n % 3 == 0) and \"NO\" or \"SE\")";

    private final Map<String, String> options;
    private final Path work;

    private OfrepLoad(Map<String, String> options) {
        this.options = options;
        this.work = Path.of(options.getOrDefault("work-dir", "bench/target/ofrepload")).toAbsolutePath();
    }

    static String usage() {
        return """
                java -cp bench/target/benchmarks.jar dev.darklaunch.bench.feed.OfrepLoad [--option value]...
                  --unleash-dir DIR        folder holding node_modules/unleash-server; unset: Unleash skipped
                  --connections 64         wrk connections
                  --wrk-seconds 10         length of one wrk run
                  --wrk-runs 3             wrk runs per case (medians are reported)
                  --work-dir DIR           embedded PostgreSQL files and logs (bench/target/ofrepload)
                """;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                System.err.println(usage());
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new OfrepLoad(options).run();
        System.exit(0); // embedded PostgreSQL is closed; nothing else must keep us alive
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        System.out.printf("machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        Wrk wrk = new Wrk(2, intOption("connections", 64), intOption("wrk-seconds", 10), intOption("wrk-runs", 3));
        try (Databases databases = Databases.open(work)) {
            Config config = new Config(0, Optional.of(databases.darklaunch()), work.resolve("data"), Optional.of(ADMIN_TOKEN),
                    Optional.of("bench-admin-password"), FeedSettings.DEFAULTS)
                    .withHttp(HttpSettings.DEFAULTS.withMaxConnectionsPerAddress(0)); // every request comes from 127.0.0.1
            DarklaunchServer server = DarklaunchServer.start(config).await(120, TimeUnit.SECONDS);
            try {
                darklaunch("http://127.0.0.1:" + server.port(), wrk);
            } finally {
                server.close().await(60, TimeUnit.SECONDS);
            }
            String unleashDir = options.get("unleash-dir");
            if (unleashDir == null) {
                System.out.println("unleash: skipped (no --unleash-dir)");
            } else {
                unleash(Path.of(unleashDir), databases.unleash(), wrk);
            }
        }
    }

    private void darklaunch(String base, Wrk wrk) throws Exception {
        Rest admin = Rest.bearer(base, ADMIN_TOKEN);
        for (int i = 0; i < 20; i++) {
            String key = key(i);
            admin.expect(201, admin.post(P + "/flags", FeedLoad.booleanFlag(key, "")), "create " + key);
            admin.expect(200, admin.put(P + "/flags/" + key + "/environments/production", darklaunchConfig(i)), "configure " + key);
        }
        String token = FeedLoad.json(admin.expect(201, admin.post("/api/v1/tokens",
                "{\"name\":\"bench ofrep\",\"kind\":\"sdk\",\"project\":\"default\",\"environments\":[\"production\"]}"),
                "create sdk token").body(), "secret");
        Rest sdk = Rest.bearer(base, token);
        Rest.Response bulk = sdk.expect(200, sdk.post("/ofrep/v1/evaluate/flags",
                "{\"context\":{\"targetingKey\":\"user-3\",\"country\":\"NO\"}}"), "bulk evaluation");
        JsonNode flags = JSON.readTree(bulk.body()).get("flags");
        if (flags == null || flags.size() != 20) {
            throw new IllegalStateException("bulk evaluation should answer 20 flags: " + bulk.body());
        }
        System.out.printf("%n== Darklaunch OFREP (%s), bulk body %d bytes ==%n", base, bulk.body().length());
        List<String> headers = List.of("Authorization: Bearer " + token);
        String context = "'{\"context\":{\"targetingKey\":\"' .. " + USER + " .. '\",\"country\":\"' .. " + COUNTRY + " .. '\"}}'";
        Path bulkScript = Wrk.postScript(work, "ofrep-bulk", context);
        System.out.println("RESULT ofrep bulk: " + Wrk.describe(wrk.measure(base + "/ofrep/v1/evaluate/flags", headers, bulkScript, token)));
        System.out.println("RESULT ofrep one flag: " + Wrk.describe(wrk.measure(base + "/ofrep/v1/evaluate/flags/" + key(15),
                headers, bulkScript, token)));
        Path fixed = Wrk.postScript(work, "ofrep-fixed", "'{\"context\":{\"targetingKey\":\"user-3\",\"country\":\"NO\"}}'");
        List<String> conditional = List.of(headers.get(0), "If-None-Match: " + bulk.etag());
        System.out.println("RESULT ofrep bulk 304: " + Wrk.describe(wrk.measure(base + "/ofrep/v1/evaluate/flags", conditional, fixed, token)));
    }

    private void unleash(Path unleashDir, String databaseUrl, Wrk wrk) throws Exception {
        try (UnleashServer server = UnleashServer.start(unleashDir, databaseUrl, work,
                Map.of("INIT_FRONTEND_API_TOKENS", FRONTEND_TOKEN, "FRONTEND_API_REFRESH_INTERVAL_MS", "1000"))) {
            Rest admin = server.admin();
            String features = "/api/admin/projects/default/features";
            UnleashServer.ok(admin.post("/api/admin/context", "{\"name\":\"country\",\"stickiness\":false}"), "context field country");
            for (int i = 0; i < 20; i++) {
                String key = key(i);
                UnleashServer.ok(admin.post(features, "{\"name\":\"" + key + "\",\"type\":\"release\"}"), "create " + key);
                UnleashServer.ok(admin.post(features + "/" + key + "/environments/development/strategies", unleashStrategy(i)), "strategy " + key);
                UnleashServer.ok(admin.post(features + "/" + key + "/environments/development/on", null), "enable " + key);
            }
            Rest frontend = new Rest(server.base(), FRONTEND_TOKEN);
            String body = "{\"context\":{\"userId\":\"user-3\",\"properties\":{\"country\":\"NO\"}}}";
            Rest.Response answer = null;
            for (int attempt = 0; attempt < 60; attempt++) { // the frontend API refreshes its copy every second
                answer = frontend.expect(200, frontend.post("/api/frontend", body), "frontend API");
                if (JSON.readTree(answer.body()).get("toggles").size() >= 15) {
                    break;
                }
                Thread.sleep(500);
            }
            System.out.printf("%n== Unleash frontend API (unleash-server %s, node %s, %s), body %d bytes ==%n", server.version(),
                    UnleashServer.nodeVersion(), server.base(), answer.body().length());
            String context = "'{\"context\":{\"userId\":\"' .. " + USER + " .. '\",\"properties\":{\"country\":\"' .. " + COUNTRY + " .. '\"}}}'";
            Path script = Wrk.postScript(work, "unleash-frontend", context);
            System.out.println("RESULT unleash frontend bulk: " + Wrk.describe(wrk.measure(server.base() + "/api/frontend",
                    List.of("Authorization: " + FRONTEND_TOKEN), script, FRONTEND_TOKEN)));
        }
    }

    private static String key(int i) {
        return i < 10 ? "on-" + i : i < 15 ? "rollout-" + i : "country-" + i;
    }

    /** Variation 0 is true, 1 false. */
    private static String darklaunchConfig(int i) {
        String fallthrough = i < 10 ? "{\"variation\":0}"
                : i < 15 ? "{\"rollout\":{\"variations\":[{\"variation\":0,\"weight\":30000},{\"variation\":1,\"weight\":70000}]}}"
                : "{\"variation\":1}";
        String rules = i < 15 ? "[]"
                : "[{\"clauses\":[{\"attribute\":\"country\",\"op\":\"in\",\"values\":[\"NO\"]}],\"serve\":{\"variation\":0}}]";
        return "{\"on\":true,\"offVariation\":1,\"fallthrough\":" + fallthrough + ",\"rules\":" + rules + "}";
    }

    private static String unleashStrategy(int i) {
        if (i < 10) {
            return "{\"name\":\"default\",\"constraints\":[],\"parameters\":{}}";
        }
        if (i < 15) {
            return "{\"name\":\"flexibleRollout\",\"constraints\":[],\"parameters\":{\"rollout\":\"30\",\"stickiness\":\"userId\",\"groupId\":\""
                    + key(i) + "\"}}";
        }
        return "{\"name\":\"default\",\"constraints\":[{\"contextName\":\"country\",\"operator\":\"IN\",\"values\":[\"NO\"]}],\"parameters\":{}}";
    }
}
