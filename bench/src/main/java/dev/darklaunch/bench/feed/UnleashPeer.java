package dev.darklaunch.bench.feed;

import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.util.UnleashConfig;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The peer: {@code unleash-server} (npm) on the same PostgreSQL, a separate database, and its Java
 * SDK at default settings. A toggle's admin-API 200 → {@code isEnabled} changing, polled every
 * millisecond. Each toggle waits a random 0 s to one poll interval first, so it lands anywhere in the SDK's poll cycle.
 */
final class UnleashPeer {

    private static final String ADMIN_TOKEN = "*:*.bench-admin-token";
    private static final String CLIENT_TOKEN = "default:development.bench-client-token";
    private static final String FEATURE = "bench-toggle";
    private static final String FEATURE_ENV = "/api/admin/projects/default/features/" + FEATURE + "/environments/development";

    private UnleashPeer() {
    }

    static void run(Path unleashDir, String databaseUrl, Path work, int toggles) throws Exception {
        System.out.printf("%n== Unleash, %d toggles ==%n", toggles);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("node", "-e", "require('unleash-server').start()")
                .directory(unleashDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("unleash.log").toFile());
        builder.environment().putAll(java.util.Map.of(
                "DATABASE_URL", databaseUrl, "DATABASE_SSL", "false",
                "HTTP_HOST", "127.0.0.1", "HTTP_PORT", String.valueOf(port),
                "INIT_ADMIN_API_TOKENS", ADMIN_TOKEN, "INIT_CLIENT_API_TOKENS", CLIENT_TOKEN,
                "CHECK_VERSION", "false", "SEND_TELEMETRY", "false", "LOG_LEVEL", "warn"));
        Process server = builder.start();
        Unleash unleash = null;
        try {
            String base = "http://127.0.0.1:" + port;
            Rest anonymous = new Rest(base, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!healthy(anonymous)) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("unleash-server did not start; see " + work.resolve("unleash.log"));
                }
                Thread.sleep(500);
            }
            String version = FeedLoad.json(java.nio.file.Files.readString(
                    unleashDir.resolve("node_modules/unleash-server/package.json")), "version");
            Rest admin = new Rest(base, ADMIN_TOKEN); // Unleash takes the bare token
            ok(admin.post("/api/admin/projects/default/features", "{\"name\":\"" + FEATURE + "\",\"type\":\"release\"}"), "create feature");
            ok(admin.post(FEATURE_ENV + "/strategies", "{\"name\":\"default\",\"constraints\":[],\"parameters\":{}}"), "add strategy");

            UnleashConfig config = UnleashConfig.builder()
                    .appName("darklaunch-feedload")
                    .instanceId("feedload-1")
                    .unleashAPI(base + "/api/")
                    .apiKey(CLIENT_TOKEN)
                    .build(); // everything else at the SDK's defaults
            System.out.printf("unleash-server %s (node %s) on %s; SDK fetchTogglesInterval %d s (default)%n", version, nodeVersion(), base,
                    config.getFetchTogglesInterval());
            unleash = new DefaultUnleash(config);

            boolean state = false;
            toggle(admin, true); // warm-up: the SDK's first fetches; not measured
            state = true;
            awaitState(unleash, state, 60);
            long[] latencies = new long[toggles];
            for (int k = 0; k < toggles; k++) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(config.getFetchTogglesInterval() * 1000L)); // anywhere in a poll cycle
                state = !state;
                toggle(admin, state);
                long done = System.nanoTime();
                long at = awaitState(unleash, state, 60);
                latencies[k] = at - done;
                System.out.printf("toggle %d: %.0f ms%n", k, latencies[k] / 1e6);
            }
            System.out.println("RESULT unleash-sdk " + Stats.of(latencies));
        } finally {
            if (unleash != null) {
                unleash.shutdown();
            }
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String nodeVersion() throws Exception {
        Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String version = new String(node.getInputStream().readAllBytes()).trim();
        node.waitFor(10, TimeUnit.SECONDS);
        return version;
    }

    private static boolean healthy(Rest rest) {
        try {
            return rest.get("/health").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void toggle(Rest admin, boolean on) {
        ok(admin.post(FEATURE_ENV + (on ? "/on" : "/off"), null), "toggle");
    }

    private static void ok(Rest.Response response, String what) {
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("unleash " + what + ": " + response.status() + " " + response.body());
        }
    }

    /** Polls {@code isEnabled} every millisecond; returns the nanoTime it showed {@code state}. */
    private static long awaitState(Unleash unleash, boolean state, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (unleash.isEnabled(FEATURE) != state) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Unleash SDK did not see the toggle within " + timeoutSeconds + " s");
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }
}
