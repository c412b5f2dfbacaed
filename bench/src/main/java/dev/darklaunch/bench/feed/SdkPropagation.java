package dev.darklaunch.bench.feed;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Flip → the real Darklaunch SDK's flag-change listener, the SDK at its default settings. */
final class SdkPropagation {

    private SdkPropagation() {
    }

    /** Flips {@code flagPath + on|off} {@code flips} times; returns REST 200 → listener, in ns. */
    static long[] darklaunch(String base, String sdkToken, Rest admin, String flagPath, int flips) throws Exception {
        BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
        try (DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder()
                .baseUri(URI.create(base)).sdkToken(sdkToken).build())) {
            if (!client.isReady()) {
                throw new IllegalStateException("Darklaunch SDK not ready: " + client.status());
            }
            client.addFlagChangeListener((Set<String> keys) -> heard.add(System.nanoTime()));
            long[] latencies = new long[flips];
            for (int k = 0; k < flips; k++) {
                Thread.sleep(100 + ThreadLocalRandom.current().nextInt(200)); // out of step with heartbeats
                heard.clear();
                admin.expect(200, admin.post(flagPath + (k % 2 == 0 ? "on" : "off"), null), "flip");
                long done = System.nanoTime();
                Long at = heard.poll(10, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("the SDK did not hear flip " + k + " within 10 s");
                }
                latencies[k] = at - done;
            }
            return latencies;
        }
    }
}
