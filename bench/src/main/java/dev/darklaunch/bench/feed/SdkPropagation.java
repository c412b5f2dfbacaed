package dev.darklaunch.bench.feed;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** A change over REST → the real Darklaunch SDK's flag-change listener, the SDK at its default settings. */
final class SdkPropagation {

    private final DarklaunchClient client;
    private final BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();

    private record Heard(long nanoTime, Set<String> keys) {
    }

    private SdkPropagation(String base, String sdkToken) {
        client = DarklaunchClient.create(DarklaunchConfig.builder().baseUri(URI.create(base)).sdkToken(sdkToken).build());
        if (!client.isReady()) {
            client.close();
            throw new IllegalStateException("Darklaunch SDK not ready: " + client.status());
        }
        client.addFlagChangeListener(keys -> heard.add(new Heard(System.nanoTime(), keys)));
    }

    /** Flips {@code flagPath + on|off} {@code flips} times; returns REST 200 → listener, in ns. */
    static long[] flips(String base, String sdkToken, Rest admin, String flagPath, int flips) throws Exception {
        SdkPropagation sdk = new SdkPropagation(base, sdkToken);
        try {
            long[] latencies = new long[flips];
            for (int k = 0; k < flips; k++) {
                String path = flagPath + (k % 2 == 0 ? "on" : "off");
                latencies[k] = sdk.timeTo(Set.of(), () -> admin.expect(200, admin.post(path, null), "flip"));
            }
            return latencies;
        } finally {
            sdk.client.close();
        }
    }

    /**
     * Records {@code rollbacks} deployments that each ship {@code flags} flags, releases each to
     * everyone, then rolls it back; returns rollback REST 200 → the listener hearing all of its
     * flags in one change, in ns (a change that names only some of them fails the run).
     */
    static long[] rollbacks(String base, String sdkToken, Rest pipeline, String project, int rollbacks, int flags)
            throws Exception {
        SdkPropagation sdk = new SdkPropagation(base, sdkToken);
        try {
            long[] latencies = new long[rollbacks];
            for (int k = 0; k < rollbacks; k++) {
                int round = k;
                List<String> keys = IntStream.range(0, flags).mapToObj(i -> "rollback-" + round + "-" + i).toList();
                String id = FeedLoad.json(pipeline.expect(201, pipeline.post(project + "/deployments",
                        "{\"service\":\"bench\",\"version\":\"1." + k + "\",\"environment\":\"production\",\"flags\":"
                                + keys.stream().map(key -> "\"" + key + "\"").toList() + "}"), "deployment").body(), "id");
                String deployment = project + "/deployments/" + id;
                sdk.timeTo(Set.copyOf(keys), () -> pipeline.expect(200, pipeline.post(deployment + "/release", null), "release"));
                latencies[k] = sdk.timeTo(Set.copyOf(keys),
                        () -> pipeline.expect(200, pipeline.post(deployment + "/rollback", null), "rollback"));
            }
            return latencies;
        } finally {
            sdk.client.close();
        }
    }

    /** Runs the change, then waits for the listener; {@code keys} (if any) must come in one change. */
    private long timeTo(Set<String> keys, Runnable change) throws InterruptedException {
        Thread.sleep(100 + ThreadLocalRandom.current().nextInt(200)); // out of step with heartbeats
        heard.clear();
        change.run();
        long done = System.nanoTime();
        Heard first = heard.poll(10, TimeUnit.SECONDS);
        if (first == null) {
            throw new IllegalStateException("the SDK did not hear the change within 10 s");
        }
        if (!first.keys().containsAll(keys)) {
            throw new IllegalStateException("the SDK heard " + first.keys() + " first, not all of " + keys + " at once");
        }
        return first.nanoTime() - done;
    }
}
