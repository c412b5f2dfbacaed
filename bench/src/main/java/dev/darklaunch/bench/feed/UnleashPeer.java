package dev.darklaunch.bench.feed;

import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.util.UnleashConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The peer: {@code unleash-server} (npm) on the same PostgreSQL, a separate database, and its Java
 * SDK at default settings. A toggle's admin-API 200 → {@code isEnabled} changing, polled every
 * millisecond. Each toggle waits a random 0 s to one poll interval first, so it lands anywhere in the SDK's poll cycle.
 */
final class UnleashPeer {

    private static final String CLIENT_TOKEN = "default:development.bench-client-token";
    private static final String FEATURE = "bench-toggle";
    private static final String FEATURE_ENV = "/api/admin/projects/default/features/" + FEATURE + "/environments/development";

    private UnleashPeer() {
    }

    static void run(Path unleashDir, String databaseUrl, Path work, int toggles) throws Exception {
        System.out.printf("%n== Unleash, %d toggles ==%n", toggles);
        try (UnleashServer server = UnleashServer.start(unleashDir, databaseUrl, work, Map.of("INIT_CLIENT_API_TOKENS", CLIENT_TOKEN))) {
            measure(server, toggles);
        }
    }

    private static void measure(UnleashServer server, int toggles) throws Exception {
        Unleash unleash = null;
        try {
            String base = server.base();
            Rest admin = server.admin();
            UnleashServer.ok(admin.post("/api/admin/projects/default/features", "{\"name\":\"" + FEATURE + "\",\"type\":\"release\"}"), "create feature");
            UnleashServer.ok(admin.post(FEATURE_ENV + "/strategies", "{\"name\":\"default\",\"constraints\":[],\"parameters\":{}}"), "add strategy");

            UnleashConfig config = UnleashConfig.builder()
                    .appName("darklaunch-feedload")
                    .instanceId("feedload-1")
                    .unleashAPI(base + "/api/")
                    .apiKey(CLIENT_TOKEN)
                    .build(); // everything else at the SDK's defaults
            System.out.printf("unleash-server %s (node %s) on %s; SDK fetchTogglesInterval %d s (default)%n", server.version(),
                    UnleashServer.nodeVersion(), base,
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
        }
    }

    private static void toggle(Rest admin, boolean on) {
        UnleashServer.ok(admin.post(FEATURE_ENV + (on ? "/on" : "/off"), null), "toggle");
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
