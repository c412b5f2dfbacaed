package dev.darklaunch.bench.feed;

import dev.darklaunch.sdk.BenchClients;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.Status;
import dev.darklaunch.server.Config;
import dev.darklaunch.server.DarklaunchServer;
import dev.darklaunch.server.feed.FeedSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SDK start → READY against a real server (embedded PostgreSQL, default feed settings) for
 * environments whose snapshot is about 100 KB, 1 MB and 5 MB. Per start: a new client, the time
 * from creating it until its status says READY (the snapshot received, parsed, compiled and
 * swapped in), then closed. Three variants, interleaved start by start so they share the
 * machine's conditions:
 * <ul>
 *   <li>{@code sdk} — {@code DarklaunchClient.create} as shipped (HTTP/1.1);</li>
 *   <li>{@code http/1.1} — the same client and data source built over an HTTP/1.1 JDK client
 *       (shows that building it this way costs nothing);</li>
 *   <li>{@code http/2} — the same over the JDK's default client, HTTP/2, which tries an h2c upgrade
 *       on plain http: what the SDK used before.</li>
 * </ul>
 * A start that is not READY within the timeout counts as not READY (and is left out of the median).
 * Then, for the line reading the SDK did before: the time until a raw HTTP/1.1 stream has
 * delivered the snapshot's line, read with the JDK's {@code BodySubscribers.fromLineSubscriber}
 * (what the SDK used) and with a {@code BufferedReader} (linear), alternately. Last, without any
 * SDK: plain JDK clients (a new one per stream, as a new SDK has) open streams over HTTP/2 (the
 * JDK default: an h2c upgrade on plain http) and over HTTP/1.1, alternately, and count the streams
 * whose snapshot line has not arrived 10 s after the response headers did.
 */
public final class SdkStartup {

    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int starts = Integer.parseInt(options.getOrDefault("starts", "20"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout-s", "40")));
        List<Integer> sizes = new ArrayList<>();
        for (String size : options.getOrDefault("sizes", "100000,1000000,5000000").split(",")) {
            sizes.add(Integer.parseInt(size.trim()));
        }
        Path work = Path.of(options.getOrDefault("work-dir", "bench/target/sdkstartup")).toAbsolutePath();
        Files.createDirectories(work);
        System.out.printf("machine: %d cores, %s %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), loadAverage());

        try (EmbeddedPostgres embedded = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres"))
                .setCleanDataDirectory(true).start()) {
            String databaseUrl = "postgresql://postgres:postgres@127.0.0.1:" + embedded.getPort() + "/postgres";
            DarklaunchServer server = DarklaunchServer.start(new Config(0, Optional.of(databaseUrl), work.resolve("data"),
                    Optional.of(ADMIN_TOKEN), Optional.of("bench-admin-password"), FeedSettings.DEFAULTS)).await(120, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.port();
            Rest admin = Rest.bearer(base, ADMIN_TOKEN);
            try {
                for (int size : sizes) {
                    String token = environment(admin, base, size);
                    measure(URI.create(base), token, size, starts, timeout);
                    lineReaders(URI.create(base), token, size, Integer.parseInt(options.getOrDefault("raw-runs", "5")), timeout);
                    emptyStreams(URI.create(base), token, size, Integer.parseInt(options.getOrDefault("plain-streams", "20")));
                }
            } finally {
                server.close().await(60, TimeUnit.SECONDS);
            }
        }
        System.out.printf("load average at the end: %s%n", loadAverage());
        System.exit(0);
    }

    /** A project whose production snapshot is at least {@code bytes}; returns an SDK token of it. */
    private static String environment(Rest admin, String base, int bytes) {
        String project = "size-" + bytes;
        String projects = "/api/v1/projects/" + project;
        admin.expect(201, admin.post("/api/v1/projects", "{\"key\":\"" + project + "\",\"name\":\"" + project + "\"}"), "project");
        int perFlag = Math.min(400_000, bytes);
        for (int i = 0; (long) i * perFlag < bytes; i++) {
            admin.expect(201, admin.post(projects + "/flags", configurationFlag("config-" + i, perFlag / 2)), "flag");
        }
        String token = FeedLoad.json(admin.expect(201, admin.post("/api/v1/tokens", "{\"name\":\"startup " + bytes
                + "\",\"kind\":\"sdk\",\"project\":\"" + project + "\",\"environments\":[\"production\"]}"), "token").body(), "secret");
        Rest sdk = Rest.bearer(base, token);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int served = 0;
        while (System.nanoTime() < deadline && served < bytes) {
            Rest.Response flags = sdk.get("/sdk/v1/flags");
            served = flags.status() == 200 ? flags.body().length() : 0;
        }
        System.out.printf("%nsnapshot: %,d bytes (project %s)%n", served, project);
        return token;
    }

    private static void measure(URI base, String token, int bytes, int starts, Duration timeout) throws Exception {
        String[] variants = {"sdk", "http/1.1", "http/2"};
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, Integer> notReady = new LinkedHashMap<>();
        for (String variant : variants) {
            times.put(variant, new ArrayList<>());
            notReady.put(variant, 0);
        }
        for (String variant : variants) {
            startToReady(variant, base, token, timeout); // warm-up, not counted: class loading and the JIT's first pass
        }
        for (int start = 0; start < starts; start++) {
            for (String variant : variants) {
                long nanos = startToReady(variant, base, token, timeout);
                if (nanos < 0) {
                    notReady.merge(variant, 1, Integer::sum);
                } else {
                    times.get(variant).add(nanos);
                }
            }
        }
        for (String variant : variants) {
            List<Long> sorted = new ArrayList<>(times.get(variant));
            sorted.sort(null);
            System.out.printf(Locale.ROOT, "RESULT startup size=%d variant=%s starts=%d ready=%d not-ready-within-%ds=%d median=%s min=%s max=%s%n",
                    bytes, variant, starts, sorted.size(), timeout.toSeconds(), notReady.get(variant),
                    ms(sorted, sorted.size() / 2), ms(sorted, 0), ms(sorted, sorted.size() - 1));
        }
    }

    /** Time to the snapshot's line over a raw HTTP/1.1 stream: the JDK's line subscriber against a BufferedReader. */
    private static void lineReaders(URI base, String token, int bytes, int runs, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/sdk/v1/stream")).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build();
        Map<String, List<Long>> times = new LinkedHashMap<>(Map.of("jdk-line-subscriber", new ArrayList<>(), "buffered-reader", new ArrayList<>()));
        for (int run = 0; run < runs; run++) {
            long begin = System.nanoTime();
            CountDownLatch got = new CountDownLatch(1);
            AtomicLong at = new AtomicLong();
            CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
                    new Flow.Subscriber<String>() {
                        private Flow.Subscription subscription;

                        public void onSubscribe(Flow.Subscription s) {
                            subscription = s;
                            s.request(Long.MAX_VALUE);
                        }

                        public void onNext(String line) {
                            if (line.startsWith("data: ") && at.compareAndSet(0, System.nanoTime())) {
                                got.countDown();
                                subscription.cancel();
                            }
                        }

                        public void onError(Throwable error) {
                        }

                        public void onComplete() {
                        }
                    }));
            if (got.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                times.get("jdk-line-subscriber").add(at.get() - begin);
            }
            response.cancel(true);

            begin = System.nanoTime();
            HttpResponse<java.io.InputStream> stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("data: ")) {
                        times.get("buffered-reader").add(System.nanoTime() - begin);
                        break;
                    }
                }
            }
        }
        for (Map.Entry<String, List<Long>> entry : times.entrySet()) {
            List<Long> sorted = new ArrayList<>(entry.getValue());
            sorted.sort(null);
            System.out.printf(Locale.ROOT, "RESULT snapshot-line size=%d reader=%s runs=%d done=%d median=%s min=%s max=%s%n",
                    bytes, entry.getKey(), runs, sorted.size(), ms(sorted, sorted.size() / 2), ms(sorted, 0), ms(sorted, sorted.size() - 1));
        }
    }

    /** Streams of a plain JDK client whose snapshot line is not there 10 s after the headers, per HTTP version. */
    private static void emptyStreams(URI base, String token, int bytes, int streams) throws Exception {
        HttpClient.Version[] versions = {HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1};
        Map<HttpClient.Version, List<String>> empty = new LinkedHashMap<>(Map.of(versions[0], new ArrayList<>(),
                versions[1], new ArrayList<>()));
        for (int i = 0; i < streams; i++) {
            for (HttpClient.Version version : i % 2 == 0 ? versions : new HttpClient.Version[]{versions[1], versions[0]}) {
                ExecutorService threads = Executors.newCachedThreadPool(daemon("bench-plain"));
                try {
                    HttpClient http = HttpClient.newBuilder().version(version).executor(threads).build();
                    HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(base.resolve("/sdk/v1/stream"))
                            .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    CompletableFuture<Boolean> snapshot = CompletableFuture.supplyAsync(() -> {
                        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                                response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                            for (String line; (line = reader.readLine()) != null; ) {
                                if (line.startsWith("data: ")) {
                                    return true;
                                }
                            }
                        } catch (java.io.IOException e) {
                            return false;
                        }
                        return false;
                    }, threads);
                    boolean arrived;
                    try {
                        arrived = snapshot.get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        arrived = false;
                    }
                    if (!arrived) {
                        empty.get(version).add("#" + i + (response.statusCode() == 200 ? "" : " (HTTP " + response.statusCode() + ")"));
                    }
                    response.body().close();
                } finally {
                    threads.shutdownNow(); // ends the stream's reader and the client's connection
                }
            }
        }
        for (HttpClient.Version version : versions) {
            System.out.printf(Locale.ROOT, "RESULT plain-client size=%d version=%s streams=%d without-snapshot-10s-after-headers=%d %s%n",
                    bytes, version, streams, empty.get(version).size(), empty.get(version));
        }
    }

    private static String ms(List<Long> sorted, int index) {
        return sorted.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1fms", sorted.get(index) / 1e6);
    }

    /** Nanoseconds from creating a client until it says READY, or -1 after the timeout. */
    private static long startToReady(String variant, URI base, String token, Duration timeout) throws InterruptedException {
        ExecutorService httpThreads = Executors.newCachedThreadPool(daemon("bench-http"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("bench-feed"));
        CountDownLatch ready = new CountDownLatch(1);
        AtomicLong readyAt = new AtomicLong();
        long begin = System.nanoTime();
        DarklaunchClient client = switch (variant) {
            case "sdk" -> DarklaunchClient.create(DarklaunchConfig.builder().baseUri(base).sdkToken(token)
                    .initTimeout(Duration.ZERO).evaluationCounts(false).build());
            case "http/1.1" -> BenchClients.streaming(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(httpThreads).build(), base, token, scheduler);
            default -> BenchClients.streaming(HttpClient.newBuilder().executor(httpThreads).build(), base, token, scheduler);
        };
        try {
            client.addStatusListener(status -> {
                if (status.state() == Status.State.READY && readyAt.compareAndSet(0, System.nanoTime())) {
                    ready.countDown();
                }
            });
            if (client.status().state() == Status.State.READY && readyAt.compareAndSet(0, System.nanoTime())) {
                ready.countDown();
            }
            return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? readyAt.get() - begin : -1;
        } finally {
            client.close();
            scheduler.shutdownNow();
            httpThreads.shutdownNow();
        }
    }

    /** A JSON flag whose two variations are each about {@code bytes} of configuration. */
    private static String configurationFlag(String key, int bytes) {
        StringBuilder json = new StringBuilder("{\"key\":\"").append(key).append("\",\"name\":\"").append(key)
                .append("\",\"kind\":\"json\",\"variations\":[");
        for (int v = 0; v < 2; v++) {
            json.append(v == 0 ? "" : ",").append("{\"value\":{\"entries\":[");
            for (int i = 0; i * 100 < bytes; i++) {
                json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"name\":\"setting-%d-%06d\",\"value\":\"%s\"}", v, i, "v".repeat(64)));
            }
            json.append("]}}");
        }
        return json.append("]}").toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
