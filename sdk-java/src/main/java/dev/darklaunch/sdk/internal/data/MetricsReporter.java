package dev.darklaunch.sdk.internal.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Posts evaluation counts to {@code POST /sdk/v1/metrics} every {@link FeedTimings#metricsInterval()}.
 * The counts themselves live in each compiled flag (pre-sized adders, so evaluations neither
 * allocate nor wait); this harvests them in the background. Memory is bounded: at most
 * {@value #MAX_FLAGS} flags are kept while the server cannot be reached, and counts of a
 * period that cannot be delivered are merged into the next one.
 */
public final class MetricsReporter {

    private static final Logger log = LoggerFactory.getLogger(MetricsReporter.class);
    static final int MAX_FLAGS = 10_000;

    private final FeedHttp http;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Snapshot> current;
    private final Map<String, Map<Integer, Long>> pending = new HashMap<>();
    private Instant periodStart = Instant.now();
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private ScheduledFuture<?> task;
    private boolean failureLogged;

    public MetricsReporter(FeedHttp http, ScheduledExecutorService scheduler, Supplier<Snapshot> current) {
        this.http = http;
        this.scheduler = scheduler;
        this.current = current;
    }

    public void start() {
        long period = http.timings().metricsInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::flush, period, period, TimeUnit.MILLISECONDS);
    }

    /** Keeps the counts of a snapshot that is being replaced (call after the swap). */
    public synchronized void retire(Snapshot old) {
        if (old != null) {
            harvest(old);
        }
    }

    /** Posts what was counted since the last post, if anything; returns when the post is under way. */
    public synchronized CompletableFuture<?> flush() {
        Snapshot snapshot = current.get();
        if (snapshot != null) {
            harvest(snapshot);
        }
        if (pending.isEmpty() || !inFlight.isDone()) {
            return inFlight;
        }
        Instant end = Instant.now();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("start", periodStart.toString());
        body.put("end", end.toString());
        ObjectNode flags = body.putObject("flags");
        pending.forEach((key, counts) -> {
            ObjectNode byVariation = flags.putObject(key);
            counts.forEach((variation, count) -> byVariation.put(Integer.toString(variation), count));
        });
        Map<String, Map<Integer, Long>> sent = new HashMap<>(pending);
        pending.clear();
        Instant sentStart = periodStart;
        periodStart = end;
        HttpRequest request = http.request("sdk/v1/metrics").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            inFlight = http.client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error == null && response.statusCode() / 100 == 2) {
                            failureLogged = false;
                            return;
                        }
                        if (!failureLogged) {
                            failureLogged = true;
                            log.warn("posting Darklaunch evaluation counts failed ({}); keeping them for the next try",
                                    error != null ? error.toString() : "HTTP " + response.statusCode());
                        }
                        if (error != null || response.statusCode() >= 500 || response.statusCode() == 429) {
                            putBack(sent, sentStart);
                        }
                    });
        } catch (RuntimeException e) {
            putBack(sent, sentStart);
        }
        return inFlight;
    }

    /** Stops the schedule and posts the last counts (waits for that at most {@code waitMillis}). */
    public void close(long waitMillis) {
        if (task != null) {
            task.cancel(false);
        }
        try {
            flush().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.debug("last evaluation counts not delivered: {}", e.toString());
        }
    }

    private synchronized void putBack(Map<String, Map<Integer, Long>> counts, Instant start) {
        counts.forEach((key, byVariation) -> byVariation.forEach((variation, count) -> add(key, variation, count)));
        if (start.isBefore(periodStart)) {
            periodStart = start;
        }
    }

    private void harvest(Snapshot snapshot) {
        for (CompiledFlag flag : snapshot.flags()) {
            long[] counts = flag.takeCounts();
            if (counts == null) {
                continue;
            }
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    add(flag.key(), i - 1, counts[i]);
                }
            }
        }
    }

    private void add(String key, int variation, long count) {
        Map<Integer, Long> counts = pending.get(key);
        if (counts == null) {
            if (pending.size() >= MAX_FLAGS) {
                return; // bounded: counts for further flags are dropped until the server takes these
            }
            counts = new HashMap<>();
            pending.put(key, counts);
        }
        counts.merge(variation, count, Long::sum);
    }
}
