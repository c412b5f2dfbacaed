package dev.darklaunch.bench.feed;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.parsetools.RecordParser;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The stream side of {@link FeedLoad}, run in its own JVM so that the server's heap holds only the
 * server: opens N SSE streams to {@code /sdk/v1/stream}, prints {@code OPEN}, waits for a line on
 * stdin, then flips a flag K times over REST and records, for every stream, the time from the
 * REST 200 to the end of the {@code patch} event. Prints {@code RESULT} lines and exits.
 *
 * <p>Arguments: port sdkToken adminToken flagKey streams flips spacingMillis
 */
public final class StreamClients {

    private static final int MAX_CONNECTING = 256;
    private static final int WARM_UP_CALLS = 300;
    private static final long OPEN_TIMEOUT_SECONDS = 120;
    private static final long FLIP_TIMEOUT_SECONDS = 10;

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String sdkToken = args[1];
        String adminToken = args[2];
        String flag = args[3];
        int streams = Integer.parseInt(args[4]);
        int flips = Integer.parseInt(args[5]);
        long spacingMillis = Long.parseLong(args[6]);

        long[][] arrivals = new long[flips][streams];
        AtomicIntegerArray patchesSeen = new AtomicIntegerArray(streams);
        AtomicIntegerArray received = new AtomicIntegerArray(flips);
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();

        Vertx vertx = Vertx.vertx();
        HttpClientAgent client = vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setIdleTimeout(0),
                new PoolOptions().setHttp1MaxSize(streams + 16));
        // a fresh JVM per phase: warm the admin client's code first, so the writes measured below
        // time the server rather than the JDK HTTP client's first calls (reads: no patch to count)
        Rest admin = Rest.bearer("http://127.0.0.1:" + port, adminToken);
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            admin.expect(200, admin.get("/api/v1/projects/default/flags/" + flag), "warm-up read");
        }
        Semaphore connecting = new Semaphore(MAX_CONNECTING);
        long openStart = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            if (!connecting.tryAcquire(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("streams did not open in time");
            }
            int stream = i;
            boolean[] released = {false};
            Runnable release = () -> {
                if (!released[0]) {
                    released[0] = true;
                    connecting.release();
                }
            };
            String[] event = {null};
            RecordParser lines = RecordParser.newDelimited("\n", line -> {
                if (line.length() == 0) { // end of an event
                    if ("snapshot".equals(event[0])) {
                        opened.incrementAndGet();
                        release.run();
                    } else if ("patch".equals(event[0])) {
                        int k = patchesSeen.getAndIncrement(stream);
                        if (k < flips) {
                            arrivals[k][stream] = System.nanoTime();
                            received.incrementAndGet(k);
                        }
                    }
                    event[0] = null;
                } else if (line.getByte(0) == 'e' && line.toString(StandardCharsets.UTF_8).startsWith("event:")) {
                    event[0] = line.toString(StandardCharsets.UTF_8).substring(6).trim();
                }
            });
            client.request(HttpMethod.GET, "/sdk/v1/stream")
                    .compose(request -> request.putHeader("Authorization", "Bearer " + sdkToken)
                            .putHeader("Accept", "text/event-stream").send())
                    .onSuccess(response -> {
                        if (response.statusCode() != 200) {
                            failed.incrementAndGet();
                            release.run();
                            return;
                        }
                        response.handler((Buffer chunk) -> lines.handle(chunk));
                        response.exceptionHandler(e -> failed.incrementAndGet());
                    })
                    .onFailure(e -> {
                        failed.incrementAndGet();
                        release.run();
                    });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OPEN_TIMEOUT_SECONDS);
        while (opened.get() + failed.get() < streams && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        System.out.printf("OPEN %d failed=%d seconds=%.1f%n", opened.get(), failed.get(),
                (System.nanoTime() - openStart) / 1e9);
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(stdin.readLine())) {
            System.exit(1);
        }
        long[] restSent = new long[flips];
        long[] restDone = new long[flips];
        long[] writeNanos = new long[flips];
        int missed = 0;
        long cpuBefore = processCpuNanos();
        for (int k = 0; k < flips; k++) {
            String path = "/api/v1/projects/default/flags/" + flag + "/environments/production/" + (k % 2 == 0 ? "on" : "off");
            restSent[k] = System.nanoTime();
            admin.expect(200, admin.post(path, null), "flip");
            restDone[k] = System.nanoTime();
            writeNanos[k] = restDone[k] - restSent[k];
            long flipDeadline = restDone[k] + TimeUnit.SECONDS.toNanos(FLIP_TIMEOUT_SECONDS);
            while (received.get(k) < opened.get() && System.nanoTime() < flipDeadline) {
                Thread.sleep(1);
            }
            missed += opened.get() - received.get(k);
            Thread.sleep(spacingMillis);
        }
        long cpu = processCpuNanos() - cpuBefore;

        int count = 0;
        long[] latencies = new long[flips * streams];
        long[] fromSent = new long[flips * streams];
        int beforeResponse = 0;
        for (int k = 0; k < flips; k++) {
            for (int s = 0; s < streams; s++) {
                if (arrivals[k][s] != 0) {
                    long latency = arrivals[k][s] - restDone[k];
                    if (latency < 0) {
                        beforeResponse++;
                    }
                    fromSent[count] = arrivals[k][s] - restSent[k];
                    latencies[count++] = latency;
                }
            }
        }
        long[] measured = java.util.Arrays.copyOf(latencies, count);
        System.out.println("RESULT propagation " + Stats.of(measured) + " missed=" + missed
                + " arrivedBefore200=" + beforeResponse);
        System.out.println("RESULT propagation-from-request-sent " + Stats.of(java.util.Arrays.copyOf(fromSent, count)));
        System.out.println("RESULT write " + Stats.of(writeNanos));
        System.out.printf(java.util.Locale.ROOT, "RESULT clients-cpu %.0f ms over the flips, %.2f µs per patch received%n",
                cpu / 1e6, cpu / 1e3 / Math.max(1, count));
        System.out.flush();
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        System.exit(0);
    }
}
