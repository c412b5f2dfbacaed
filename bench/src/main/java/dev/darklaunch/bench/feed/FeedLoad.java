package dev.darklaunch.bench.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.server.Config;
import dev.darklaunch.server.DarklaunchServer;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.http.HttpSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Load harness of the live feed: one Darklaunch server in this JVM over PostgreSQL (embedded, or
 * {@code DARKLAUNCH_DATABASE_URL}), then
 * <ol>
 *   <li>for each N: N SSE streams opened by a child JVM ({@link StreamClients}), server heap after
 *       GC before and with the streams open, K flips, flip → patch latency on every stream;</li>
 *   <li>flip → SDK: the real Darklaunch SDK (listener) beside Unleash (server from npm, on the same
 *       PostgreSQL, its Java SDK at default settings, {@code isEnabled} polled every millisecond);</li>
 *   <li>{@code /sdk/v1/flags} throughput with {@code wrk}: 304s and a ~2 KB body.</li>
 * </ol>
 * Options: see {@link #usage()}. Everything runs on 127.0.0.1 and every loop is bounded.
 */
public final class FeedLoad {

    private static final String P = "/api/v1/projects/default";
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";

    private final Map<String, String> options;
    private final Path work;

    private FeedLoad(Map<String, String> options) {
        this.options = options;
        this.work = Path.of(option("work-dir", "bench/target/feedload")).toAbsolutePath();
    }

    static String usage() {
        return """
                java -cp bench/target/benchmarks.jar dev.darklaunch.bench.feed.FeedLoad [--option value]...
                  --streams 1000,10000     stream counts, one phase each
                  --flips 30               flips per phase
                  --spacing-ms 200         pause after every stream has a flip's patch
                  --warm-up-flips 300      unmeasured flips of another flag before the first phase
                  --sdk-flips 20           Darklaunch SDK flips (listener)
                  --sdk-rollbacks 10       deployment rollbacks (5 flags each) → the SDK's listener
                  --unleash-dir DIR        folder holding node_modules/unleash-server; unset: Unleash skipped
                  --unleash-toggles 6      Unleash toggles (each after a random wait within one SDK poll interval)
                  --wrk-seconds 10         length of one wrk run
                  --wrk-runs 3             wrk runs per case (the median is reported)
                  --jfr FILE               JFR recording of the server during the largest phase's flips
                  --work-dir DIR           embedded PostgreSQL files and logs (bench/target/feedload)
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
        new FeedLoad(options).run();
        System.exit(0); // embedded PostgreSQL and SDK threads are closed; nothing else must keep us alive
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(option(name, String.valueOf(fallback)));
    }

    private void run() throws Exception {
        int[] streamCounts = Arrays.stream(option("streams", "1000,10000").split(",")).mapToInt(Integer::parseInt).toArray();
        int maxStreams = Arrays.stream(streamCounts).max().orElse(1000);
        Files.createDirectories(work);
        System.out.printf("machine: %d cores, %s %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), ManagementFactory.getRuntimeMXBean().getInputArguments());

        Databases databases = Databases.open(work);
        String databaseUrl = databases.darklaunch();
        String unleashDatabaseUrl = databases.unleash();
        // every stream comes from 127.0.0.1 here: the per-address connection limit is lifted
        Config config = new Config(0, Optional.of(databaseUrl), work.resolve("data"), Optional.of(ADMIN_TOKEN),
                Optional.of("bench-admin-password"), FeedSettings.DEFAULTS.withMaxStreamsPerToken(maxStreams + 100))
                .withHttp(HttpSettings.DEFAULTS.withMaxConnectionsPerAddress(0));
        DarklaunchServer server = DarklaunchServer.start(config).await(120, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + server.port();
        Rest admin = Rest.bearer(base, ADMIN_TOKEN);
        admin.expect(201, admin.post(P + "/flags", booleanFlag("load-flag", "")), "create load-flag");
        admin.expect(201, admin.post(P + "/flags", booleanFlag("sdk-flag", "")), "create sdk-flag");
        String sdkToken = json(admin.expect(201, admin.post("/api/v1/tokens",
                "{\"name\":\"bench sdk\",\"kind\":\"sdk\",\"project\":\"default\",\"environments\":[\"production\"]}"),
                "create sdk token").body(), "secret");
        System.out.println("server: " + base + ", database " + server.databaseDescription());
        warmUpWrites(admin);

        try {
            for (int streams : streamCounts) {
                streamsPhase(server.port(), sdkToken, streams, streams == maxStreams ? option("jfr", null) : null);
            }
            sdkPhase(base, admin, sdkToken);
            String unleashDir = option("unleash-dir", null);
            if (unleashDir == null) {
                System.out.println("unleash: skipped (no --unleash-dir)");
            } else {
                UnleashPeer.run(Path.of(unleashDir), unleashDatabaseUrl, work, intOption("unleash-toggles", 6));
            }
            throughputPhase(base, admin, sdkToken);
            rollbackPhase(base, admin, sdkToken);
        } finally {
            server.close().await(60, TimeUnit.SECONDS);
            databases.close();
        }
    }

    /**
     * Flips a flag of its own a few hundred times before any stream opens, so the first phase's
     * writes are not timed on cold code (JIT, prepared statements) while later phases' are.
     */
    private void warmUpWrites(Rest admin) {
        admin.expect(201, admin.post(P + "/flags", booleanFlag("warm-up-flag", "")), "create warm-up-flag");
        int flips = intOption("warm-up-flips", 300);
        for (int k = 0; k < flips; k++) {
            admin.expect(200, admin.post(P + "/flags/warm-up-flag/environments/production/" + (k % 2 == 0 ? "on" : "off"), null),
                    "warm-up flip");
        }
    }

    /** N streams in a child JVM; server heap and RSS before and with them open; K flips. */
    private void streamsPhase(int port, String sdkToken, int streams, String jfrFile) throws Exception {
        System.out.printf("%n== %d streams ==%n", streams);
        long heapBefore = heapAfterGc();
        long rssBefore = rssBytes();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                StreamClients.class.getName(), String.valueOf(port), sdkToken, ADMIN_TOKEN, "load-flag",
                String.valueOf(streams), option("flips", "30"), option("spacing-ms", "200"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String open = out.readLine();
            System.out.println(open);
            if (open == null || !open.startsWith("OPEN ")) {
                throw new IllegalStateException("stream clients failed: " + open);
            }
            int opened = Integer.parseInt(open.split(" ")[1]);
            long heapWith = heapAfterGc();
            long rssWith = rssBytes();
            System.out.printf(Locale.ROOT, "server heap after GC: %.1f MB before, %.1f MB with %d streams → %.1f KB per stream%n",
                    heapBefore / 1e6, heapWith / 1e6, opened, (heapWith - heapBefore) / 1024.0 / opened);
            System.out.printf(Locale.ROOT, "server RSS: %.1f MB before, %.1f MB with streams → %.1f KB per stream (incl. heap growth, direct buffers)%n",
                    rssBefore / 1e6, rssWith / 1e6, (rssWith - rssBefore) / 1024.0 / opened);
            Jfr jfr = jfrFile == null ? null : Jfr.start();
            long cpuBefore = processCpuNanos();
            in.println("GO");
            for (String line; (line = out.readLine()) != null; ) {
                System.out.println(line);
            }
            // this process is the server (the database and the clients run elsewhere): its CPU time
            // over the flips per patch delivered, a figure the other load on the machine hardly moves
            long cpu = processCpuNanos() - cpuBefore;
            System.out.printf(Locale.ROOT, "RESULT server-cpu %.0f ms over the flips, %.2f µs per patch delivered%n",
                    cpu / 1e6, cpu / 1e3 / ((double) opened * intOption("flips", 30)));
            if (jfr != null) {
                jfr.stop(Path.of(jfrFile));
                System.out.println("JFR recording of the flips: " + jfrFile);
            }
        } finally {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        Thread.sleep(2_000); // let the server see the streams close
    }

    /** The real SDK at default settings: REST 200 → flag-change listener. */
    private void sdkPhase(String base, Rest admin, String sdkToken) throws Exception {
        int flips = intOption("sdk-flips", 20);
        System.out.printf("%n== Darklaunch SDK, %d flips ==%n", flips);
        long[] latencies = SdkPropagation.flips(base, sdkToken, admin, P + "/flags/sdk-flag/environments/production/", flips);
        System.out.println("RESULT darklaunch-sdk " + Stats.of(latencies));
    }

    /**
     * Deployment rollbacks (5 flags each, by a pipeline token) → the SDK's listener hearing all five
     * in one change. Last, since the flags it creates would grow the environment's payload.
     */
    private void rollbackPhase(String base, Rest admin, String sdkToken) throws Exception {
        int rollbacks = intOption("sdk-rollbacks", 10);
        System.out.printf("%n== Darklaunch SDK, %d deployment rollbacks of 5 flags each (pipeline token) ==%n", rollbacks);
        Rest pipeline = Rest.bearer(base, json(admin.expect(201, admin.post("/api/v1/tokens",
                "{\"name\":\"bench pipeline\",\"kind\":\"pipeline\",\"project\":\"default\",\"environments\":[\"production\"]}"),
                "create pipeline token").body(), "secret"));
        System.out.println("RESULT darklaunch-sdk-rollback " + Stats.of(SdkPropagation.rollbacks(base, sdkToken, pipeline, P, rollbacks, 5)));
    }

    /** wrk against /sdk/v1/flags: 304s, then a ~2 KB body. */
    private void throughputPhase(String base, Rest admin, String sdkToken) throws Exception {
        Rest sdk = Rest.bearer(base, sdkToken);
        for (int i = 0; sdk.get("/sdk/v1/flags").body().length() < 1700 && i < 50; i++) {
            admin.expect(201, admin.post(P + "/flags", booleanFlag("payload-" + i,
                    "Padding flag so that the SDK snapshot is about two kilobytes, as a small real environment.")), "payload flag");
        }
        Thread.sleep(500);
        Rest.Response full = sdk.get("/sdk/v1/flags");
        System.out.printf("%n== /sdk/v1/flags throughput (wrk), body %d bytes, ETag %s ==%n", full.body().length(), full.etag());
        String url = base + "/sdk/v1/flags";
        report("304 (If-None-Match)", wrk(url, sdkToken, full.etag()));
        report(full.body().length() + " B body", wrk(url, sdkToken, null));
    }

    private void report(String what, List<Double> rates) {
        System.out.printf(Locale.ROOT, "RESULT flags %s: median %.0f req/s (runs %s)%n", what, Wrk.median(rates), rates);
    }

    private List<Double> wrk(String url, String token, String etag) throws Exception {
        List<String> headers = new ArrayList<>(List.of("Authorization: Bearer " + token));
        if (etag != null) {
            headers.add("If-None-Match: " + etag);
        }
        return new Wrk(2, 64, intOption("wrk-seconds", 10), intOption("wrk-runs", 3)).measure(url, headers, null, token)
                .stream().map(Wrk.Run::rate).toList();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    static String booleanFlag(String key, String description) {
        return "{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"description\":\"" + description
                + "\",\"kind\":\"boolean\",\"variations\":[{\"value\":true},{\"value\":false}]}";
    }

    /** One top-level text field of a JSON object. */
    static String json(String body, String field) {
        try {
            return new ObjectMapper().readTree(body).get(field).asText();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no " + field + " in " + body, e);
        }
    }
}
