package dev.darklaunch.bench.feed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One flag flipped → the real SDK's flag-change listener, in environments of several sizes, with
 * no Darklaunch server in the way: a tiny local feed (the JDK's HTTP server) sends each SDK its
 * environment as the {@code snapshot} event, then one {@code patch} event per flip, and the time is
 * taken from just before the patch is written until the SDK's listener hears the flipped key.
 * What remains is the SDK's own work on a patch (read, parse, apply, compare, tell) plus one
 * loopback write, so environments of different sizes compare the SDK alone. The SDKs of all sizes
 * run side by side and the flips go round them in turn, so they share the machine's conditions.
 *
 * <p>The environments are realistic rather than trivial: every flag has a targeting rule, every
 * tenth also names a segment, every twentieth requires the flag before it. The flipped flag is one
 * more flag that nothing requires. Before/after comparisons put another SDK jar first on the class
 * path (the classes this uses are the SDK's public API only).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.darklaunch.bench.feed.SdkPatchLatency --flags 10,1000,10000 --flips 300
 * </pre>
 */
public final class SdkPatchLatency {

    private static final String FLIPPED = "flipped";

    public static void main(String[] args) throws Exception {
        int[] sizes = {10, 1_000, 10_000};
        int flips = 300;
        int warmup = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--flags" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--flips" -> flips = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Feed> feeds = new ArrayList<>();
        try {
            for (int size : sizes) {
                feeds.add(new Feed(size));
            }
            long[][] latencies = new long[sizes.length][flips];
            for (int k = -warmup; k < flips; k++) {
                for (int s = 0; s < feeds.size(); s++) {
                    long nanos = feeds.get(s).flip();
                    if (k >= 0) {
                        latencies[s][k] = nanos;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-8s %7s %12s %12s %12s %12s%n", "flags", "flips", "median µs", "p10 µs", "p90 µs", "mean µs");
            for (int s = 0; s < sizes.length; s++) {
                long[] sorted = latencies[s].clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "%-8d %7d %12.1f %12.1f %12.1f %12.1f%n", sizes[s], flips, micros(sorted[sorted.length / 2]),
                        micros(sorted[sorted.length / 10]), micros(sorted[sorted.length * 9 / 10]),
                        Arrays.stream(sorted).average().orElse(0) / 1_000.0);
            }
        } finally {
            feeds.forEach(Feed::close);
        }
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }

    /** One environment: its feed, its SDK and what the SDK's listener heard. */
    private static final class Feed implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final DarklaunchClient client;
        private final BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
        private final CountDownLatch streaming = new CountDownLatch(1);
        private final AtomicInteger streams = new AtomicInteger();
        private final String snapshot;
        private volatile OutputStream stream;
        private long revision = 1;
        private boolean on = true;

        Feed(int size) throws IOException, InterruptedException {
            snapshot = environment(size);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/sdk/v1/stream", this::stream);
            server.createContext("/sdk/v1/flags", exchange -> answer(exchange, 200, snapshot));
            server.createContext("/", exchange -> answer(exchange, 202, ""));
            server.start();
            client = DarklaunchClient.create(DarklaunchConfig.builder().sdkToken("bench-sdk-token")
                    .baseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).initTimeout(Duration.ofSeconds(60)).build());
            if (!client.isReady() || !streaming.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the SDK for " + size + " flags is not ready: " + client.status());
            }
            client.addFlagChangeListener(keys -> {
                if (keys.contains(FLIPPED)) {
                    heard.add(System.nanoTime());
                }
            });
        }

        /** Flips the flag; returns patch written → listener, in ns. */
        long flip() throws IOException, InterruptedException {
            on = !on;
            String patch = "{\"previous\":" + revision + ",\"revision\":" + (revision + 1) + ",\"flags\":[" + flag(FLIPPED, on, "") + "]}";
            revision++;
            byte[] event = ("event: patch\nid: " + revision + "\ndata: " + patch + "\n\n").getBytes(StandardCharsets.UTF_8);
            heard.clear();
            long started = System.nanoTime();
            OutputStream out = stream;
            out.write(event);
            out.flush();
            Long at = heard.poll(10, TimeUnit.SECONDS);
            if (at == null || streams.get() != 1) {
                throw new IllegalStateException("the SDK did not hear the flip (streams opened: " + streams.get() + ")");
            }
            return at - started;
        }

        private void stream(HttpExchange exchange) throws IOException {
            streams.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("event: snapshot\nid: 1\ndata: " + snapshot + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            stream = out;
            streaming.countDown();
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        }

        @Override
        public void close() {
            client.close();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** {@code size} flags at revision 1: {@code size - 1} with rules, segments and prerequisites, and the flipped one. */
    static String environment(int size) {
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < size - 1; i++) {
            StringBuilder rules = new StringBuilder(",\"rules\":[{\"id\":\"r" + i + "\",\"serve\":{\"variation\":0},\"clauses\":"
                    + "[{\"attribute\":\"country\",\"op\":\"in\",\"values\":[\"NO\",\"SE\",\"c" + i + "\"]}]}");
            if (i % 10 == 0) {
                rules.append(",{\"serve\":{\"variation\":0},\"clauses\":[{\"attribute\":\"key\",\"op\":\"segmentMatch\",\"values\":[\"beta\"]}]}");
            }
            rules.append(']');
            if (i % 20 == 19) {
                rules.append(",\"prerequisites\":[{\"flag\":\"f").append(i - 1).append("\",\"variation\":0}]");
            }
            flags.add(flag("f" + i, true, rules.toString()));
        }
        flags.add(flag(FLIPPED, true, ""));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            members.add("\"user-" + i + "\"");
        }
        String segment = "{\"key\":\"beta\",\"config\":{\"included\":[" + String.join(",", members) + "],\"excluded\":[],\"rules\":[]}}";
        return "{\"revision\":1,\"flags\":[" + String.join(",", flags) + "],\"segments\":[" + segment + "]}";
    }

    private static String flag(String key, boolean on, String more) {
        return "{\"flag\":{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"kind\":\"boolean\","
                + "\"variations\":[{\"value\":true},{\"value\":false}]},"
                + "\"config\":{\"on\":" + on + ",\"offVariation\":1,\"fallthrough\":{\"variation\":1}" + more + "}}";
    }

    private SdkPatchLatency() {
    }
}
