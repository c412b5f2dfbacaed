package dev.darklaunch.sdk.internal.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.GuardedCounts;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Posts evaluation counts and tracked events to {@code POST /sdk/v1/metrics} every
 * {@link FeedTimings#metricsInterval()}, in one request; while a guarded release watches a flag,
 * every {@link FeedTimings#guardedMetricsInterval()}, with the flag's exposures and attributed
 * events per variation ({@code guards}), as its guards decide on what arrives. The evaluation
 * counts live in each compiled flag (with its {@code GuardedCounts} when guarded) and the events
 * in {@link TrackedEvents} (all pre-sized adders, so neither an evaluation nor a {@code track}
 * call allocates or waits); this harvests them in the background.
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
    /** Guarded flags' sums waiting for the server: (flag, variation) exposures and (flag, variation, name) event sums. */
    static final int MAX_GUARD_ENTRIES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FeedHttp http;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Snapshot> current;
    private final TrackedEvents events;
    private final Map<String, Map<Integer, Long>> pending = new HashMap<>();
    private final Map<EventKey, EventSum> pendingEvents = new LinkedHashMap<>();
    private final Map<GuardKey, Long> pendingExposures = new LinkedHashMap<>();
    private final Map<GuardEventKey, GuardSum> pendingGuardEvents = new LinkedHashMap<>();
    private final AtomicLong eventsDropped = new AtomicLong();
    /** Events the guarded counts of retired flags did not attribute (too many names). */
    private long retiredGuardDrops;
    private long lastFlush = System.nanoTime();
    private Instant periodStart = Instant.now();
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private ScheduledFuture<?> task;
    private boolean failureLogged;
    private boolean eventsRefusalLogged;
    private boolean guardsRefusalLogged;
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

    /**
     * Starts the schedule: a tick every guarded interval, which posts when a flag is guarded (or
     * guarded sums wait) and otherwise only once the usual interval has passed.
     */
    public void start() {
        long tick = http.timings().guardedMetricsInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        Snapshot snapshot = current.get();
        boolean guarded = (snapshot != null && !snapshot.guardedFlags().isEmpty()) || !pendingExposures.isEmpty()
                || !pendingGuardEvents.isEmpty();
        long interval = http.timings().metricsInterval().toNanos();
        long tick = http.timings().guardedMetricsInterval().toNanos();
        // half a tick of slack: a tick that comes a hair early must not put the post off by a whole tick
        if (guarded || System.nanoTime() - lastFlush >= interval - tick / 2) {
            flush();
        }
    }

    /** Keeps the counts of a snapshot that is being replaced (call after the swap). */
    public synchronized void retire(Snapshot old) {
        if (old != null) {
            harvest(old);
            retireGuarded(old.guardedFlags());
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

    /**
     * Tracked-event buckets dropped because too many were waiting for the server (or it refused
     * them), and events a guarded flag did not attribute (too many names).
     */
    public synchronized long eventsDropped() {
        long guardDrops = retiredGuardDrops;
        Snapshot snapshot = current.get();
        if (snapshot != null) {
            List<CompiledFlag> guarded = snapshot.guardedFlags();
            for (int i = 0; i < guarded.size(); i++) {
                guardDrops += guarded.get(i).guarded().dropped();
            }
        }
        return eventsDropped.get() + guardDrops;
    }

    /** Posts what was counted since the last post, if anything; returns when the post is under way. */
    public synchronized CompletableFuture<?> flush() {
        Snapshot snapshot = current.get();
        lastFlush = System.nanoTime();
        if (snapshot != null) {
            harvest(snapshot);
            harvestGuarded(snapshot.guardedFlags());
        }
        for (TrackedEvents.Bucket bucket : events.take()) {
            addEvent(new EventKey(bucket.minute(), bucket.name()), bucket.count(), bucket.sum());
        }
        if ((pending.isEmpty() && pendingEvents.isEmpty() && pendingExposures.isEmpty() && pendingGuardEvents.isEmpty())
                || !inFlight.isDone()) {
            return inFlight;
        }
        Instant end = Instant.now();
        Report report = new Report(periodStart, end, new HashMap<>(pending), new LinkedHashMap<>(pendingEvents),
                new LinkedHashMap<>(pendingExposures), new LinkedHashMap<>(pendingGuardEvents));
        pending.clear();
        pendingEvents.clear();
        pendingExposures.clear();
        pendingGuardEvents.clear();
        periodStart = end;
        try {
            inFlight = send(report);
        } catch (RuntimeException e) {
            putBack(report);
        }
        return inFlight;
    }

    /** One period's counts as sent; kept whole so that a failed send can be merged back. */
    private record Report(Instant start, Instant end, Map<String, Map<Integer, Long>> flags, Map<EventKey, EventSum> events,
                          Map<GuardKey, Long> exposures, Map<GuardEventKey, GuardSum> guardEvents) {
        Report withoutEvents() {
            return new Report(start, end, flags, Map.of(), exposures, guardEvents);
        }

        Report withoutGuards() {
            return new Report(start, end, flags, events, Map.of(), Map.of());
        }

        boolean hasGuards() {
            return !exposures.isEmpty() || !guardEvents.isEmpty();
        }
    }

    /** A guarded flag's served variation. */
    private record GuardKey(String flag, int variation) {
    }

    /** An event name attributed to a guarded flag's served variation. */
    private record GuardEventKey(GuardKey variation, String name) {
    }

    private record GuardSum(long count, double sum, double sumOfSquares) {
        GuardSum plus(GuardSum more) {
            long total = count + more.count;
            return new GuardSum(total < 0 ? Long.MAX_VALUE : total, sum + more.sum, sumOfSquares + more.sumOfSquares);
        }
    }

    private record EventKey(Instant minute, String name) {
    }

    private record EventSum(long count, double sum) {
        EventSum plus(long moreCount, double moreSum) {
            long total = count + moreCount;
            return new EventSum(total < 0 ? Long.MAX_VALUE : total, sum + moreSum);
        }
    }

    private CompletableFuture<?> send(Report report) {
        HttpRequest request = http.request("sdk/v1/metrics").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(report))).build();
        return http.client().sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error == null && response.statusCode() / 100 == 2) {
                        failureLogged = false;
                        return CompletableFuture.completedFuture(null);
                    }
                    String refused = error == null ? refusedField(response) : null;
                    if ("guards".equals(refused) && report.hasGuards()) {
                        eventsDropped.addAndGet(report.exposures().size() + report.guardEvents().size());
                        if (!guardsRefusalLogged) {
                            guardsRefusalLogged = true;
                            log.warn("the Darklaunch server refused what guarded flags measured ({}); sending the report "
                                    + "without it. Is the server older than this SDK?", response.body());
                        }
                        return resend(report.withoutGuards());
                    }
                    if ("events".equals(refused) && !report.events().isEmpty()) {
                        eventsDropped.addAndGet(report.events().size());
                        if (!eventsRefusalLogged) {
                            eventsRefusalLogged = true;
                            log.warn("the Darklaunch server refused tracked events ({}); sending evaluation counts without "
                                    + "them. Is the server older than this SDK?", response.body());
                        }
                        return resend(report.withoutEvents());
                    }
                    if (!failureLogged) {
                        failureLogged = true;
                        log.warn("posting Darklaunch evaluation counts and events failed ({}); keeping them for the next try",
                                error != null ? error.toString() : "HTTP " + response.statusCode());
                    }
                    if (error != null || response.statusCode() >= 500 || response.statusCode() == 429) {
                        putBack(report);
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .thenCompose(next -> next);
    }

    /** Sends what is left of a report a server refused part of, at once. */
    private CompletableFuture<?> resend(Report rest) {
        try {
            return send(rest);
        } catch (RuntimeException e) {
            putBack(rest);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * The top-level field a 400 names, when it is {@code events} or {@code guards} (an old server
     * that does not know it, or sums it will not take); else null.
     */
    private static String refusedField(HttpResponse<String> response) {
        if (response.statusCode() != 400) {
            return null;
        }
        try {
            String field = JSON.readTree(response.body()).path("field").asText("");
            for (String known : List.of("events", "guards")) {
                if (field.equals(known) || field.startsWith(known + ".") || field.startsWith(known + "[")) {
                    return known;
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String body(Report report) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("start", report.start().toString());
        body.put("end", report.end().toString());
        ObjectNode flags = body.putObject("flags");
        report.flags().forEach((key, counts) -> {
            ObjectNode byVariation = flags.putObject(key);
            counts.forEach((variation, count) -> byVariation.put(Integer.toString(variation), count));
        });
        if (!report.events().isEmpty()) {
            ArrayNode events = body.putArray("events");
            report.events().forEach((key, sum) -> events.addObject()
                    .put("name", key.name())
                    .put("minute", key.minute().toString())
                    .put("count", sum.count())
                    .put("sum", sum.sum()));
        }
        if (report.hasGuards()) {
            // one entry per guarded flag and variation, its event sums inside
            Map<GuardKey, ObjectNode> entries = new LinkedHashMap<>();
            ArrayNode guards = body.putArray("guards");
            java.util.function.Function<GuardKey, ObjectNode> entry = key -> entries.computeIfAbsent(key, k -> {
                ObjectNode node = guards.addObject().put("flag", k.flag()).put("variation", k.variation()).put("exposures", 0L);
                node.putArray("events");
                return node;
            });
            report.exposures().forEach((key, exposures) -> entry.apply(key).put("exposures", exposures));
            report.guardEvents().forEach((key, sum) -> ((ArrayNode) entry.apply(key.variation()).get("events")).addObject()
                    .put("name", key.name())
                    .put("count", sum.count())
                    .put("sum", sum.sum())
                    .put("sumOfSquares", sum.sumOfSquares()));
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
        report.exposures().forEach(this::addExposures);
        report.guardEvents().forEach(this::addGuardEvent);
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
        retireGuarded(replaced.stream().filter(flag -> flag.guarded() != null).toList());
    }

    private void retireGuarded(Collection<CompiledFlag> guarded) {
        harvestGuarded(guarded);
        guarded.forEach(flag -> retiredGuardDrops += flag.guarded().dropped());
    }

    private void harvest(Snapshot snapshot) {
        harvest(snapshot.flags());
    }

    /** Takes the exposures and attributed events of guarded flags into the next report. */
    private void harvestGuarded(Collection<CompiledFlag> guarded) {
        for (CompiledFlag flag : guarded) {
            for (GuardedCounts.Taken taken : flag.guarded().take()) {
                GuardKey key = new GuardKey(flag.key(), taken.variation());
                if (taken.exposures() != 0) {
                    addExposures(key, taken.exposures());
                }
                for (GuardedCounts.EventSums sums : taken.events()) {
                    addGuardEvent(new GuardEventKey(key, sums.name()), new GuardSum(sums.count(), sums.sum(), sums.sumOfSquares()));
                }
            }
        }
    }

    private void addExposures(GuardKey key, long exposures) {
        Long known = pendingExposures.get(key);
        if (known == null && pendingExposures.size() + pendingGuardEvents.size() >= MAX_GUARD_ENTRIES) {
            eventsDropped.incrementAndGet(); // bounded while the server cannot be reached
            return;
        }
        long total = known == null ? exposures : known + exposures;
        pendingExposures.put(key, total < 0 ? Long.MAX_VALUE : total);
    }

    private void addGuardEvent(GuardEventKey key, GuardSum sum) {
        GuardSum known = pendingGuardEvents.get(key);
        if (known == null && pendingExposures.size() + pendingGuardEvents.size() >= MAX_GUARD_ENTRIES) {
            eventsDropped.incrementAndGet();
            return;
        }
        GuardSum next = known == null ? sum : known.plus(sum);
        if (!Double.isFinite(next.sum()) || !Double.isFinite(next.sumOfSquares())) {
            eventsDropped.incrementAndGet(); // beyond any double: the server could not store it either
            pendingGuardEvents.remove(key);
            return;
        }
        pendingGuardEvents.put(key, next);
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
