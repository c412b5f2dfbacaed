package dev.darklaunch.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.data.BackupFile;
import dev.darklaunch.sdk.internal.data.DataSource;
import dev.darklaunch.sdk.internal.data.FeedHttp;
import dev.darklaunch.sdk.internal.data.MetricsReporter;
import dev.darklaunch.sdk.internal.data.PollingDataSource;
import dev.darklaunch.sdk.internal.data.StreamingDataSource;
import dev.darklaunch.sdk.internal.data.TrackedEvents;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.GuardedCounts;
import dev.darklaunch.sdk.internal.evaluation.Outcome;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.FlagKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Evaluates feature flags locally, from an in-memory copy of one environment's flags. Every
 * method is thread-safe, answers in nanoseconds without I/O, and never throws: when a flag cannot
 * be evaluated the caller's default comes back (and the {@code …Detail} forms say why).
 *
 * <pre>{@code
 * if (client.isEnabled("new-checkout", Context.of(user.id()).with("country", user.country()))) {
 *     …
 * }
 * }</pre>
 *
 * The copy is kept current by the server's event stream (or polling), starts from the backup
 * file or bootstrap data, and survives every network or server error unchanged: see
 * {@link #status()}. Create one client per environment and application, share it, and
 * {@link #close()} it on shutdown.
 */
public final class DarklaunchClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DarklaunchClient.class);
    /** The event {@link #trackError} records. */
    private static final String ERROR_EVENT = "error";
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final DataSource source;
    private final Updates updates;
    /** Null when nothing is ever sent (offline, test flags): track() is then a no-op. */
    private final TrackedEvents events;
    private volatile Snapshot snapshot;

    /** A client fed by {@code source} alone (test flags): no backup, no counting, no threads of its own. */
    DarklaunchClient(DataSource source) {
        this(source, null, null, false, null, false, null);
    }

    private DarklaunchClient(DataSource source, Runtime runtime, BackupFile backup, boolean counting,
                             EnvironmentData initial, boolean offline, TrackedEvents events) {
        this.source = source;
        this.events = events;
        this.updates = new Updates(this, runtime, backup, counting, events != null);
        if (initial != null) {
            updates.load(initial);
        }
        if (offline) {
            updates.offline();
        }
        source.start(updates);
    }

    /**
     * A client over the configured data. Reads the backup file (else takes the bootstrap data),
     * connects to the server unless offline, and waits for the server's data at most the
     * configured init timeout; it never throws for network reasons and never waits longer. Check
     * {@link #status()} to see whether live data arrived.
     */
    public static DarklaunchClient create(DarklaunchConfig config) {
        BackupFile backup = config.backupFile().map(BackupFile::new).orElse(null);
        EnvironmentData initial = Optional.ofNullable(backup).flatMap(BackupFile::read)
                .or(config::bootstrap).orElse(null);
        if (config.offline()) {
            return new DarklaunchClient(new StaticSource(), null, null, false, initial, true, null);
        }
        Runtime runtime = new Runtime(config.sslContext().orElse(null));
        FeedHttp http = new FeedHttp(runtime.http, config.baseUri(), config.sdkToken(), config.timings());
        DataSource source = config.streaming()
                ? new StreamingDataSource(http, runtime.scheduler)
                : new PollingDataSource(http, runtime.scheduler, config.pollInterval());
        TrackedEvents events = new TrackedEvents();
        DarklaunchClient client = new DarklaunchClient(source, runtime, backup, config.evaluationCounts(), initial, false, events);
        // always, for tracked events; evaluation counts only come with it when counting is on
        client.updates.startMetrics(new MetricsReporter(http, runtime.scheduler, () -> client.snapshot, events));
        client.updates.awaitFirstAnswer(config.initTimeout());
        return client;
    }

    /** The state of the client's data: whether it is current, how old, the last problem. */
    public Status status() {
        return updates.status();
    }

    /**
     * Calls {@code listener} with the new status whenever the state changes. Listeners run on
     * one SDK thread, never on the caller's or the evaluation path; what they throw is logged and
     * ignored. Keep them quick.
     */
    public void addStatusListener(Consumer<Status> listener) {
        updates.statusListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    public void removeStatusListener(Consumer<Status> listener) {
        updates.statusListeners.remove(listener);
    }

    /**
     * Calls {@code listener} with the keys (sorted) of the flags that may evaluate differently
     * after new data arrived: flags added, removed or changed, flags using a changed segment, and
     * flags requiring a changed flag. Runs like the status listeners.
     */
    public void addFlagChangeListener(Consumer<Set<String>> listener) {
        updates.flagListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    public void removeFlagChangeListener(Consumer<Set<String>> listener) {
        updates.flagListeners.remove(listener);
    }

    /** Whether the flag is on for the context: the value of a boolean flag, {@code false} on any error. */
    public boolean isEnabled(String flagKey, Context context) {
        try {
            Snapshot current = snapshot;
            if (current == null || flagKey == null || context == null) {
                return false;
            }
            CompiledFlag flag = current.flag(flagKey);
            return flag != null && flag.kind() == FlagKind.BOOLEAN && Evaluator.isTrue(current, flag, context);
        } catch (RuntimeException e) {
            log.warn("evaluating {} failed; serving false", flagKey, e);
            return false;
        }
    }

    public boolean boolVariation(String flagKey, Context context, boolean defaultValue) {
        return boolVariationDetail(flagKey, context, defaultValue).value();
    }

    @SuppressWarnings("unchecked")
    public EvaluationDetail<Boolean> boolVariationDetail(String flagKey, Context context, boolean defaultValue) {
        return (EvaluationDetail<Boolean>) (EvaluationDetail<?>) typed(flagKey, context, defaultValue, FlagKind.BOOLEAN);
    }

    public String stringVariation(String flagKey, Context context, String defaultValue) {
        return stringVariationDetail(flagKey, context, defaultValue).value();
    }

    @SuppressWarnings("unchecked")
    public EvaluationDetail<String> stringVariationDetail(String flagKey, Context context, String defaultValue) {
        return (EvaluationDetail<String>) (EvaluationDetail<?>) typed(flagKey, context, defaultValue, FlagKind.STRING);
    }

    public double doubleVariation(String flagKey, Context context, double defaultValue) {
        return doubleVariationDetail(flagKey, context, defaultValue).value();
    }

    @SuppressWarnings("unchecked")
    public EvaluationDetail<Double> doubleVariationDetail(String flagKey, Context context, double defaultValue) {
        return (EvaluationDetail<Double>) (EvaluationDetail<?>) typed(flagKey, context, defaultValue, FlagKind.NUMBER);
    }

    /** A number flag's value truncated to an int. */
    public int intVariation(String flagKey, Context context, int defaultValue) {
        return intVariationDetail(flagKey, context, defaultValue).value();
    }

    public EvaluationDetail<Integer> intVariationDetail(String flagKey, Context context, int defaultValue) {
        Object result = evaluate(flagKey, context, FlagKind.NUMBER);
        if (result instanceof Outcome outcome) {
            return outcome.intDetail();
        }
        return new EvaluationDetail<>(defaultValue, -1, (Reason) result);
    }

    /** Any flag's value as JSON. */
    public JsonNode jsonVariation(String flagKey, Context context, JsonNode defaultValue) {
        return jsonVariationDetail(flagKey, context, defaultValue).value();
    }

    public EvaluationDetail<JsonNode> jsonVariationDetail(String flagKey, Context context, JsonNode defaultValue) {
        Object result = evaluate(flagKey, context, null);
        if (result instanceof Outcome outcome) {
            return outcome.jsonDetail();
        }
        return new EvaluationDetail<>(defaultValue, -1, (Reason) result);
    }

    /**
     * Every flag's value for the context, as JSON, by flag key (flags that fail to evaluate, and
     * flags serving no variation, are left out).
     */
    public Map<String, JsonNode> allFlags(Context context) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Snapshot current = snapshot;
        if (current == null || context == null) {
            return values;
        }
        // one snapshot for all flags: the answers are consistent with each other, as of one revision
        current.flagKeys().stream().sorted().forEach(key -> {
            if (evaluate(current, key, context, null) instanceof Outcome outcome) {
                values.put(key, outcome.jsonDetail().value());
            }
        });
        return values;
    }

    /**
     * What the flag is — kind, variation names, metadata, whether its answer can depend on the
     * context — or null when there is no such flag (or no data yet). For adapters such as an
     * OpenFeature provider; allocation-free.
     */
    public FlagFacts flagFacts(String flagKey) {
        Snapshot current = snapshot;
        CompiledFlag flag = current == null || flagKey == null ? null : current.flag(flagKey);
        return flag == null ? null : flag.facts();
    }

    /**
     * Records that {@code eventName} happened for {@code context}, with a value (such as an amount
     * or a latency) added to the event's sum. The SDK sums events in memory per name and minute
     * (count and value sum) and sends the sums to the server with its evaluation counts, about
     * once a minute; no call makes a network request. Costs nanoseconds, allocates nothing once
     * a name has been seen in the minute, never blocks and never throws.
     *
     * <p>While a guarded release watches flags, the event also counts, for each such flag, towards
     * the variation the flag serves {@code context} (evaluated again, which takes nanoseconds and
     * counts no evaluation): count, value sum and sum of squared values per flag, variation and
     * event name, sent every few seconds, so the release's guards can compare those who got the
     * release with those who did not. Nothing about the context itself is sent.
     *
     * <p>Event names are a small, fixed set chosen by the application ({@code "checkout-completed"}),
     * 1 to 256 characters; at most 1 000 distinct names per minute are kept, and 100 per guarded
     * flag; further names are dropped (and counted, and logged). Invalid input — a null or blank
     * name, a name too long or with control characters, a value that is NaN or infinite — is
     * ignored with a warning at most once a minute. Offline clients and test flags send nothing and
     * ignore events.
     *
     * @param context who the event is about: decides the variations it counts towards; not sent;
     *                may be null (then it counts towards no variation)
     */
    public void track(String eventName, Context context, double value) {
        TrackedEvents tracked = events;
        if (tracked != null && tracked.track(eventName, value) && context != null) {
            attribute(eventName, context, value);
        }
    }

    /**
     * Records that an error happened for {@code context}: the event {@code "error"}, without a
     * value, as {@link #track(String, Context)} records it — so that a guard such as "errors must
     * not rise" compares the error rates of a release's variations. Only that an error happened is
     * counted: nothing of {@code error} (type, message, stack) is kept or sent, so it may carry
     * personal data. Never throws.
     *
     * @param error what went wrong; may be null
     */
    public void trackError(Context context, Throwable error) {
        track(ERROR_EVENT, context, 0);
    }

    /** Counts the event towards the variation each guarded flag serves the context. */
    private void attribute(String eventName, Context context, double value) {
        Snapshot current = snapshot;
        if (current == null) {
            return;
        }
        List<CompiledFlag> guarded = current.guardedFlags();
        for (int i = 0; i < guarded.size(); i++) { // indexed: no iterator on a per-request path
            CompiledFlag flag = guarded.get(i);
            try {
                GuardedCounts counts = flag.guarded();
                counts.record(eventName, Evaluator.evaluate(current, flag, context).variation(), value);
            } catch (RuntimeException e) {
                log.warn("attributing event {} to flag {} failed; the event is not counted towards it", eventName, flag.key(), e);
            }
        }
    }

    /** Records that {@code eventName} happened for {@code context}, without a value: counts it, adds nothing to its sum. */
    public void track(String eventName, Context context) {
        track(eventName, context, 0);
    }

    /**
     * Cumulative counts since the client started, for monitoring (the Micrometer binder in
     * {@code dev.darklaunch.sdk.micrometer} publishes them). Reading them is cheap but not free:
     * call it when scraping, not per request.
     */
    public ClientMetrics metrics() {
        MetricsReporter reporter = updates.metrics();
        TrackedEvents tracked = events;
        long[] evaluations = reporter == null ? new long[2] : reporter.evaluationTotals();
        return new ClientMetrics(evaluations[0], evaluations[1], updates.reconnects(),
                tracked == null ? 0 : tracked.invalid(),
                (tracked == null ? 0 : tracked.dropped()) + (reporter == null ? 0 : reporter.eventsDropped()));
    }

    /** Whether the client has flag data to evaluate (before that, every call serves its default). */
    public boolean isReady() {
        return snapshot != null;
    }

    /**
     * Stops following the server, posts the last evaluation counts (waiting at most a second for
     * that) and ends the client's threads. Evaluations keep working on the last data. Idempotent.
     */
    @Override
    public void close() {
        source.close();
        updates.close();
    }

    private EvaluationDetail<Object> typed(String flagKey, Context context, Object defaultValue, FlagKind kind) {
        Object result = evaluate(flagKey, context, kind);
        if (result instanceof Outcome outcome) {
            return outcome.detail();
        }
        return new EvaluationDetail<>(defaultValue, -1, (Reason) result);
    }

    /** The outcome, or the error reason; {@code kind} null accepts any kind. */
    private Object evaluate(String flagKey, Context context, FlagKind kind) {
        return evaluate(snapshot, flagKey, context, kind);
    }

    private Object evaluate(Snapshot current, String flagKey, Context context, FlagKind kind) {
        try {
            if (current == null) {
                return Reason.error(Reason.ErrorKind.CLIENT_NOT_READY);
            }
            if (flagKey == null || context == null) {
                return Reason.error(Reason.ErrorKind.INVALID_INPUT);
            }
            CompiledFlag flag = current.flag(flagKey);
            if (flag == null) {
                return Reason.error(Reason.ErrorKind.FLAG_NOT_FOUND);
            }
            if (kind != null && flag.kind() != kind) {
                flag.count(-1);
                return Reason.error(Reason.ErrorKind.WRONG_TYPE);
            }
            Outcome outcome = Evaluator.evaluate(current, flag, context);
            flag.count(outcome.variation());
            return outcome.servesDefault() ? outcome.reason() : outcome;
        } catch (RuntimeException e) {
            log.warn("evaluating {} failed; serving the default", flagKey, e);
            return Reason.error(Reason.ErrorKind.MALFORMED_FLAG);
        }
    }

    Snapshot snapshot() {
        return snapshot;
    }

    void swap(Snapshot next) {
        snapshot = next;
    }

    /** The threads and HTTP client of a connected client; all daemon threads, all ended by {@link #close()}. */
    static final class Runtime {
        final ScheduledExecutorService scheduler;
        final ExecutorService events;
        final ExecutorService httpExecutor;
        final HttpClient http;

        /** @param tls the TLS settings for https, or null for the JVM's default */
        Runtime(SSLContext tls) {
            int id = CLIENTS.incrementAndGet();
            scheduler = Executors.newSingleThreadScheduledExecutor(daemon("darklaunch-" + id + "-feed"));
            events = Executors.newSingleThreadExecutor(daemon("darklaunch-" + id + "-events"));
            httpExecutor = Executors.newCachedThreadPool(daemon("darklaunch-" + id + "-http"));
            // HTTP/1.1, deliberately, for the stream and the polls alike. The JDK client's default,
            // HTTP/2, first tries an h2c upgrade on plain http://; the server (Vert.x) accepts it, and
            // such an upgraded stream with a snapshot over ~16 KB often delivered none of its data
            // while its headers had arrived. The server serves its Server-Sent Events over HTTP/1.1;
            // one long-lived request per client gains nothing from HTTP/2's multiplexing.
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor)
                    .connectTimeout(java.time.Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER);
            if (tls != null) {
                builder.sslContext(tls);
            }
            http = builder.build();
        }

        void close() {
            scheduler.shutdownNow();
            events.shutdown();
            try {
                events.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.shutdownNow();
            httpExecutor.shutdownNow();
        }

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            AtomicInteger count = new AtomicInteger();
            return task -> {
                Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }

    /** No live data: whatever the client was given at start stays. */
    private static final class StaticSource implements DataSource {
        @Override
        public void start(dev.darklaunch.sdk.internal.data.DataSink sink) {
        }

        @Override
        public void close() {
        }
    }
}
