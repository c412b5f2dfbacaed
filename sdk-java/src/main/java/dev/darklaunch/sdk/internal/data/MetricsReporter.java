package dev.darklaunch.sdk.internal.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Posts evaluation counts and tracked events to {@code POST /sdk/v1/metrics} every
 * {@link FeedTimings#metricsInterval()}, in one request. The evaluation counts live in each
 * compiled flag and the events in {@link TrackedEvents} (both pre-sized adders, so neither an
 * evaluation nor a {@code track} call allocates or waits); this harvests them in the background.
 *
 * <p>A report that fails (no answer, 5xx, 429) is merged into the next one; one the server has
 * accepted is never sent again; one it refuses otherwise (4xx) is dropped, as resending could not
 * help. Memory is bounded meanwhile: at most {@value #MAX_FLAGS} flags and {@value #MAX_EVENT_BUCKETS}
 * event buckets (name × minute) are kept; beyond that, counts are dropped and counted.
 *
 * <p>A server older than tracked events refuses the {@code events} field (400 naming it): the
 * report is then sent again at once without its events, which are dropped with a warning, so
 * evaluation counts keep flowing to old servers.
 */
public final class MetricsReporter {

    private static final Logger log = LoggerFactory.getLogger(MetricsReporter.class);
    static final int MAX_FLAGS = 10_000;
    static final int MAX_EVENT_BUCKETS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FeedHttp http;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Snapshot> current;
    private final TrackedEvents events;
    private final Map<String, Map<Integer, Long>> pending = new HashMap<>();
    private final Map<EventKey, EventSum> pendingEvents = new LinkedHashMap<>();
    private final AtomicLong eventsDropped = new AtomicLong();
    private Instant periodStart = Instant.now();
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private ScheduledFuture<?> task;
    private boolean failureLogged;
    private boolean eventsRefusalLogged;
    private long servedTotal;
    private long defaultsTotal;

    public MetricsReporter(FeedHttp http, ScheduledExecutorService scheduler, Supplier<Snapshot> current) {
        this(http, scheduler, current, new TrackedEvents());
    }

    public MetricsReporter(FeedHttp http, ScheduledExecutorService scheduler, Supplier<Snapshot> current,
                           TrackedEvents events) {
        this.http = http;
        this.scheduler = scheduler;
        this.current = current;
        this.events = events;
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

    /**
     * Evaluations counted since the start: {served a variation, served the default}. Takes the
     * current counts first (they are sent with the next report as usual).
     */
    public synchronized long[] evaluationTotals() {
        Snapshot snapshot = current.get();
        if (snapshot != null) {
            harvest(snapshot);
        }
        return new long[] {servedTotal, defaultsTotal};
    }

    /** Tracked-event buckets dropped because too many were waiting for the server (or it refused them). */
    public long eventsDropped() {
        return eventsDropped.get();
    }

    /** Posts what was counted since the last post, if anything; returns when the post is under way. */
    public synchronized CompletableFuture<?> flush() {
        Snapshot snapshot = current.get();
        if (snapshot != null) {
            harvest(snapshot);
        }
        for (TrackedEvents.Bucket bucket : events.take()) {
            addEvent(new EventKey(bucket.minute(), bucket.name()), bucket.count(), bucket.sum());
        }
        if ((pending.isEmpty() && pendingEvents.isEmpty()) || !inFlight.isDone()) {
            return inFlight;
        }
        Instant end = Instant.now();
        Report report = new Report(periodStart, end, new HashMap<>(pending), new LinkedHashMap<>(pendingEvents));
        pending.clear();
        pendingEvents.clear();
        periodStart = end;
        try {
            inFlight = send(report, true);
        } catch (RuntimeException e) {
            putBack(report);
        }
        return inFlight;
    }

    /** One period's counts as sent; kept whole so that a failed send can be merged back. */
    private record Report(Instant start, Instant end, Map<String, Map<Integer, Long>> flags, Map<EventKey, EventSum> events) {
    }

    private record EventKey(Instant minute, String name) {
    }

    private record EventSum(long count, double sum) {
        EventSum plus(long moreCount, double moreSum) {
            long total = count + moreCount;
            return new EventSum(total < 0 ? Long.MAX_VALUE : total, sum + moreSum);
        }
    }

    private CompletableFuture<?> send(Report report, boolean withEvents) {
        HttpRequest request = http.request("sdk/v1/metrics").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(report, withEvents))).build();
        return http.client().sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error == null && response.statusCode() / 100 == 2) {
                        failureLogged = false;
                        return CompletableFuture.completedFuture(null);
                    }
                    if (error == null && withEvents && !report.events().isEmpty() && refusesEvents(response)) {
                        eventsDropped.addAndGet(report.events().size());
                        if (!eventsRefusalLogged) {
                            eventsRefusalLogged = true;
                            log.warn("the Darklaunch server refused tracked events ({}); sending evaluation counts without "
                                    + "them. Is the server older than this SDK?", response.body());
                        }
                        try {
                            return send(report, false);
                        } catch (RuntimeException e) {
                            putBack(new Report(report.start(), report.end(), report.flags(), Map.of()));
                            return CompletableFuture.completedFuture(null);
                        }
                    }
                    if (!failureLogged) {
                        failureLogged = true;
                        log.warn("posting Darklaunch evaluation counts and events failed ({}); keeping them for the next try",
                                error != null ? error.toString() : "HTTP " + response.statusCode());
                    }
                    if (error != null || response.statusCode() >= 500 || response.statusCode() == 429) {
                        putBack(withEvents ? report : new Report(report.start(), report.end(), report.flags(), Map.of()));
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .thenCompose(next -> next);
    }

    /** Whether a 400 names the events field (an old server that does not know it, or events it will not take). */
    private static boolean refusesEvents(HttpResponse<String> response) {
        if (response.statusCode() != 400) {
            return false;
        }
        try {
            String field = JSON.readTree(response.body()).path("field").asText("");
            return field.equals("events") || field.startsWith("events.") || field.startsWith("events[");
        } catch (Exception e) {
            return false;
        }
    }

    private static String body(Report report, boolean withEvents) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("start", report.start().toString());
        body.put("end", report.end().toString());
        ObjectNode flags = body.putObject("flags");
        report.flags().forEach((key, counts) -> {
            ObjectNode byVariation = flags.putObject(key);
            counts.forEach((variation, count) -> byVariation.put(Integer.toString(variation), count));
        });
        if (withEvents && !report.events().isEmpty()) {
            ArrayNode events = body.putArray("events");
            report.events().forEach((key, sum) -> events.addObject()
                    .put("name", key.name())
                    .put("minute", key.minute().toString())
                    .put("count", sum.count())
                    .put("sum", sum.sum()));
        }
        return body.toString();
    }

    /**
     * Stops the schedule and posts the last counts and events (waits for that at most
     * {@code waitMillis}, including a post still under way, which would otherwise hold the last one back).
     */
    public void close(long waitMillis) {
        if (task != null) {
            task.cancel(false);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            CompletableFuture<?> underWay;
            synchronized (this) {
                underWay = inFlight;
            }
            underWay.handle((ignored, error) -> null).get(waitMillis, TimeUnit.MILLISECONDS);
            flush().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            log.debug("last evaluation counts not delivered: {}", e.toString());
        }
    }

    private synchronized void putBack(Report report) {
        report.flags().forEach((key, byVariation) -> byVariation.forEach((variation, count) -> add(key, variation, count)));
        report.events().forEach((key, sum) -> addEvent(key, sum.count(), sum.sum()));
        if (report.start().isBefore(periodStart)) {
            periodStart = report.start();
        }
    }

    private void addEvent(EventKey key, long count, double sum) {
        EventSum known = pendingEvents.get(key);
        if (known == null && pendingEvents.size() >= MAX_EVENT_BUCKETS) {
            eventsDropped.incrementAndGet(); // bounded while the server cannot be reached
            return;
        }
        EventSum next = known == null ? new EventSum(count, sum) : known.plus(count, sum);
        if (!Double.isFinite(next.sum())) {
            eventsDropped.incrementAndGet(); // a sum beyond any double: the server could not store it either
            pendingEvents.remove(key);
            return;
        }
        pendingEvents.put(key, next);
    }

    /** Keeps the counts of compiled flags that a patch replaced or removed (call after the swap). */
    public synchronized void retire(Collection<CompiledFlag> replaced) {
        harvest(replaced);
    }

    private void harvest(Snapshot snapshot) {
        harvest(snapshot.flags());
    }

    private void harvest(Collection<CompiledFlag> flags) {
        for (CompiledFlag flag : flags) {
            long[] counts = flag.takeCounts();
            if (counts == null) {
                continue;
            }
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    if (i == 0) {
                        defaultsTotal += counts[i];
                    } else {
                        servedTotal += counts[i];
                    }
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
