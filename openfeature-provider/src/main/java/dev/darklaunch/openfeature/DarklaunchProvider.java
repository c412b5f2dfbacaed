package dev.darklaunch.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.FlagFacts;
import dev.darklaunch.sdk.Status;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import dev.openfeature.sdk.exceptions.GeneralError;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An OpenFeature provider over a {@link DarklaunchClient}: every evaluation is local, in memory,
 * with no network call, and answers exactly what the client answers.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(new DarklaunchProvider(client));
 * }</pre>
 *
 * <p>What it reports:
 * <ul>
 *   <li>Reasons: a flag that is off → DISABLED; a target or rule that matched → TARGETING_MATCH;
 *       a percentage rollout that placed the context → SPLIT; a flag whose answer cannot depend on
 *       the context (on, no prerequisites, targets, rules or rollout) → STATIC; anything else
 *       (a fallthrough after rules, an unmet prerequisite) → DEFAULT.</li>
 *   <li>Errors: FLAG_NOT_FOUND; TYPE_MISMATCH (the flag's kind is not the type asked for; an
 *       integer asked of a number flag serving a fraction); PARSE_ERROR (flag data the SDK cannot
 *       evaluate); PROVIDER_NOT_READY (no flag data yet); TARGETING_KEY_MISSING (a rollout by key
 *       reached without a targeting key). The caller's default is served with each. (No context is
 *       invalid: attributes are read on demand, and what no rule could match is absent.)</li>
 *   <li>The variant is the served variation's name, else its index; flag metadata is the flag's
 *       metadata in the environment.</li>
 *   <li>Events: the OpenFeature SDK itself emits READY when {@link #initialize} returns (and ERROR
 *       when it throws); afterwards the client's status changes become STALE, ERROR (FATAL for an
 *       offline client without data) and READY again, and flag changes become
 *       CONFIGURATION_CHANGED with the changed flags' keys. A client already stale when the
 *       provider starts gives READY, then STALE, however the provider was set.</li>
 *   <li>Events reach the SDK in the order the client's changes happened: one thread emits them,
 *       each after the SDK has handled the one before (the SDK's own emitter threads do not keep
 *       order).</li>
 * </ul>
 *
 * <p>The provider does not own the client: {@link #shutdown()} stops listening to it, and the
 * application closes the client itself.
 */
public final class DarklaunchProvider extends EventProvider {

    /** How long {@link #initialize} waits for a client that has no flag data yet, by default. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(5);

    private static final Metadata METADATA = () -> "Darklaunch";

    private final DarklaunchClient client;
    private final Duration readyTimeout;
    private final ConcurrentHashMap<String, FlagView> views = new ConcurrentHashMap<>();
    private final Consumer<Status> statusListener = this::statusChanged;
    private final Consumer<Set<String>> flagListener = this::flagsChanged;
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private final ExecutorService announcer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "darklaunch-openfeature-events");
        thread.setDaemon(true);
        return thread;
    });
    private final Object reporting = new Object();
    /** What the OpenFeature SDK was last told (by initialize's outcome or an event); null before initialize ends. */
    private Status.State reported;
    private boolean skipFirstChange;

    /** A provider over {@code client}; {@link #initialize} waits at most {@link #DEFAULT_READY_TIMEOUT} for its first data. */
    public DarklaunchProvider(DarklaunchClient client) {
        this(client, DEFAULT_READY_TIMEOUT);
    }

    /**
     * @param readyTimeout how long {@link #initialize} waits for a client without flag data to
     *     get some (or fail); after that it reports an error, and READY follows when data arrives
     */
    public DarklaunchProvider(DarklaunchClient client, Duration readyTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
        if (readyTimeout.isNegative()) {
            throw new IllegalArgumentException("readyTimeout must not be negative: " + readyTimeout);
        }
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /**
     * Returns as soon as the client has flag data (the OpenFeature SDK then reports READY); waits
     * for it at most the ready timeout. Throws {@link FatalError} for a client that can never get
     * data (offline without data), and {@link GeneralError} when the client has no data and
     * reports an error or the wait ended; READY follows when data arrives.
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        // A client without data yet reports its first data as a change of every flag: that is the
        // READY the SDK emits, not a CONFIGURATION_CHANGED. Checked before listening, so data
        // arriving in between is skipped too.
        synchronized (reporting) {
            skipFirstChange = !client.isReady();
        }
        client.addStatusListener(statusListener);
        client.addFlagChangeListener(flagListener);
        if (!client.isReady() && client.status().state() != Status.State.ERROR) {
            firstAnswer.await(readyTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        synchronized (reporting) {
            Status status = client.status();
            if (client.isReady()) {
                reported = Status.State.READY;
                if (status.state() == Status.State.STALE) {
                    // Flags to serve, but their connection is down: READY (the SDK's, for this return), then
                    // STALE. The SDK sets READY after this method returns, so the STALE waits until it has.
                    reported = Status.State.STALE;
                    Thread settingUp = Thread.currentThread();
                    ProviderEventDetails stale = ProviderEventDetails.builder().message(status.lastError()).build();
                    announce(() -> {
                        awaitSetUp(settingUp);
                        emitProviderStale(stale).await();
                    });
                }
                return;
            }
            reported = Status.State.ERROR;
            if (status.permanent()) {
                throw new FatalError("Darklaunch can never get flag data: " + status.lastError());
            }
            throw new GeneralError(status.state() == Status.State.ERROR
                    ? "Darklaunch has no flag data: " + status.lastError()
                    : "Darklaunch has no flag data after " + readyTimeout.toMillis() + " ms; READY follows when it arrives");
        }
    }

    /**
     * OpenFeature's tracking API: the event is counted (and its value, if it has one, summed) by the
     * client, which sends the sums with its usage metrics — never a request per call.
     */
    @Override
    public void track(String eventName, EvaluationContext context, TrackingEventDetails details) {
        Context who = Contexts.toDarklaunch(context);
        java.util.Optional<Number> value = details == null ? java.util.Optional.empty() : details.getValue();
        if (value.isPresent()) {
            client.track(eventName, who, value.get().doubleValue());
        } else {
            client.track(eventName, who);
        }
    }

    /** Stops listening to the client and ends the event threads; the client stays open (the application closes it). */
    @Override
    public void shutdown() {
        client.removeStatusListener(statusListener);
        client.removeFlagChangeListener(flagListener);
        firstAnswer.countDown();
        // Not awaited: the SDK may shut providers down while holding the lock an emission needs.
        announcer.shutdownNow();
        super.shutdown();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, FlagFacts.Kind.BOOLEAN, Answer.BOOLEAN);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, FlagFacts.Kind.STRING, Answer.STRING);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, FlagFacts.Kind.NUMBER, Answer.INTEGER);
    }

    @Override
    public ProviderEvaluation<Long> getLongEvaluation(String key, Long defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, FlagFacts.Kind.NUMBER, Answer.LONG);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, FlagFacts.Kind.NUMBER, Answer.DOUBLE);
    }

    /** JSON flags only: a boolean, string or number flag asked as an object is a TYPE_MISMATCH, as the spec's suite requires. */
    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, FlagFacts.Kind.JSON, Answer.OBJECT);
    }

    private <T> ProviderEvaluation<T> evaluate(String key, T defaultValue, EvaluationContext ctx, FlagFacts.Kind kind,
                                               Answer<T> answer) {
        FlagFacts facts = client.flagFacts(key);
        if (facts == null) {
            return client.isReady()
                    ? error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "no flag " + key)
                    : error(defaultValue, ErrorCode.PROVIDER_NOT_READY, "Darklaunch has no flag data yet");
        }
        if (facts.kind() != kind) {
            return error(defaultValue, ErrorCode.TYPE_MISMATCH, key + " is a " + facts.kind() + " flag");
        }
        EvaluationDetail<?> detail;
        boolean keyMissing;
        try {
            Context context = Contexts.enter(ctx);
            detail = answer.evaluate(client, key, context);
            keyMissing = detail.reason().inRollout() && context.key().isEmpty();
        } finally {
            Contexts.leave();
        }
        dev.darklaunch.sdk.Reason reason = detail.reason();
        if (reason.kind() == dev.darklaunch.sdk.Reason.Kind.ERROR) {
            return error(defaultValue, errorCode(reason.errorKind()), key + ": " + reason.errorKind());
        }
        if (keyMissing) {
            return error(defaultValue, ErrorCode.TARGETING_KEY_MISSING, key + " rolls out by context key; give a targeting key");
        }
        if (detail.variationIndex() < 0) { // served no variation (off without an off variation): the caller's default
            return ProviderEvaluation.<T>builder().value(defaultValue).reason(reason(reason, facts))
                    .flagMetadata(view(facts).metadata).build();
        }
        FlagView view = view(facts);
        ProviderEvaluation<T> known = view.known(answer.type(), detail); // no lambda: nothing allocated on a hit
        return known != null ? known
                : view.remember(answer.type(), detail, answer.build(detail, facts, view, reason(reason, facts)));
    }

    private FlagView view(FlagFacts facts) {
        FlagView view = views.get(facts.key());
        if (view == null || view.facts != facts) {
            view = new FlagView(facts, Answer.TYPES);
            views.put(facts.key(), view);
        }
        return view;
    }

    private static String reason(dev.darklaunch.sdk.Reason reason, FlagFacts facts) {
        return switch (reason.kind()) {
            case OFF -> Reason.DISABLED.name();
            case TARGET_MATCH -> Reason.TARGETING_MATCH.name();
            case RULE_MATCH -> reason.inRollout() ? Reason.SPLIT.name() : Reason.TARGETING_MATCH.name();
            case FALLTHROUGH -> reason.inRollout() ? Reason.SPLIT.name() : facts.contextFree() ? Reason.STATIC.name() : Reason.DEFAULT.name();
            case PREREQUISITE_FAILED -> Reason.DEFAULT.name();
            case ERROR -> Reason.ERROR.name();
        };
    }

    private static ErrorCode errorCode(dev.darklaunch.sdk.Reason.ErrorKind kind) {
        return switch (kind) {
            case FLAG_NOT_FOUND -> ErrorCode.FLAG_NOT_FOUND;
            case WRONG_TYPE -> ErrorCode.TYPE_MISMATCH;
            case MALFORMED_FLAG -> ErrorCode.PARSE_ERROR;
            case CLIENT_NOT_READY -> ErrorCode.PROVIDER_NOT_READY;
            case INVALID_INPUT -> ErrorCode.GENERAL;
        };
    }

    static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
        return ProviderEvaluation.<T>builder().value(defaultValue).reason(Reason.ERROR.name()).errorCode(code)
                .errorMessage(message).build();
    }

    private void statusChanged(Status status) {
        if (status.state() == Status.State.READY || status.state() == Status.State.ERROR) {
            firstAnswer.countDown();
        }
        synchronized (reporting) {
            if (reported == null || status.state() == reported || status.state() == Status.State.INITIALIZING) {
                return; // initialize reports the first state; the SDK emits READY for it
            }
            reported = status.state();
            switch (status.state()) {
                case READY -> {
                    ProviderEventDetails ready = ProviderEventDetails.builder().message("flag data is current").build();
                    announce(() -> emitProviderReady(ready).await());
                }
                case STALE -> {
                    ProviderEventDetails stale = ProviderEventDetails.builder().message(status.lastError()).build();
                    announce(() -> emitProviderStale(stale).await());
                }
                case ERROR -> {
                    ProviderEventDetails error = ProviderEventDetails.builder().message(status.lastError())
                            .errorCode(status.permanent() ? ErrorCode.PROVIDER_FATAL : ErrorCode.GENERAL).build();
                    announce(() -> emitProviderError(error).await());
                }
                default -> {
                }
            }
        }
    }

    private void flagsChanged(Set<String> keys) {
        synchronized (reporting) {
            if (skipFirstChange) {
                skipFirstChange = false;
                return;
            }
        }
        keys.forEach(views::remove);
        ProviderEventDetails changed = ProviderEventDetails.builder().flagsChanged(List.copyOf(keys))
                .message("flags changed").build();
        announce(() -> emitProviderConfigurationChanged(changed).await());
    }

    /** Emits on the one announcer thread, in the order asked; nothing once the provider is shut down. */
    private void announce(Runnable emission) {
        try {
            announcer.execute(emission);
        } catch (RejectedExecutionException shutDown) {
            // the SDK no longer listens
        }
    }

    /**
     * Waits until {@code thread} has left the OpenFeature SDK's set-up of a provider, which sets the
     * provider's state to READY and announces it after {@link #initialize} returns. With
     * {@code setProviderAndWait} the SDK's lock already holds emissions back until then; with
     * {@code setProvider} the set-up runs on a thread of the SDK's, unlocked, and no event or
     * public method tells when it is done, so its stack is read (a millisecond at most, once per
     * start, and only for a client stale at the start). Gives up after the ready timeout.
     */
    private void awaitSetUp(Thread thread) {
        long deadline = System.nanoTime() + Math.max(readyTimeout.toNanos(), TimeUnit.SECONDS.toNanos(1));
        while (settingUp(thread) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException shutDown) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean settingUp(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            String type = frame.getClassName();
            if (type.equals("dev.openfeature.sdk.ProviderRepository")
                    || type.equals("dev.openfeature.sdk.FeatureProviderStateManager")
                    || type.equals(DarklaunchProvider.class.getName()) && frame.getMethodName().equals("initialize")) {
                return true;
            }
        }
        return false;
    }

    /** How one OpenFeature type is asked of the client and built from its detail. */
    private interface Answer<T> {
        int TYPES = 6;

        /** This answer's number among the {@link #TYPES}, for the answers kept per type. */
        int type();

        EvaluationDetail<?> evaluate(DarklaunchClient client, String key, Context context);

        ProviderEvaluation<T> build(EvaluationDetail<?> detail, FlagFacts facts, FlagView view, String reason);

        Answer<Boolean> BOOLEAN = typed(0, (client, key, context) -> client.boolVariationDetail(key, context, false), Boolean.class::cast);
        Answer<String> STRING = typed(1, (client, key, context) -> client.stringVariationDetail(key, context, ""), String.class::cast);
        Answer<Double> DOUBLE = typed(2, (client, key, context) -> client.doubleVariationDetail(key, context, 0), Double.class::cast);
        Answer<Value> OBJECT = typed(3, (client, key, context) -> client.jsonVariationDetail(key, context, null),
                value -> Values.toValue((JsonNode) value));
        Answer<Integer> INTEGER = whole(4, Integer.MIN_VALUE, Integer.MAX_VALUE, d -> (int) d);
        // beyond 2^53 a double (how Darklaunch evaluates numbers) no longer holds every whole number
        Answer<Long> LONG = whole(5, -(1L << 53), 1L << 53, d -> (long) d);

        interface Ask {
            EvaluationDetail<?> evaluate(DarklaunchClient client, String key, Context context);
        }

        static <T> Answer<T> typed(int type, Ask ask, java.util.function.Function<Object, T> convert) {
            return new Answer<>() {
                @Override
                public int type() {
                    return type;
                }

                @Override
                public EvaluationDetail<?> evaluate(DarklaunchClient client, String key, Context context) {
                    return ask.evaluate(client, key, context);
                }

                @Override
                public ProviderEvaluation<T> build(EvaluationDetail<?> detail, FlagFacts facts, FlagView view, String reason) {
                    return served(convert.apply(detail.value()), detail, facts, view, reason);
                }
            };
        }

        /** A whole number of a number flag; a fraction, or a number out of range, is a TYPE_MISMATCH. */
        static <T> Answer<T> whole(int type, double min, double max, java.util.function.DoubleFunction<T> convert) {
            return new Answer<>() {
                @Override
                public int type() {
                    return type;
                }

                @Override
                public EvaluationDetail<?> evaluate(DarklaunchClient client, String key, Context context) {
                    return client.doubleVariationDetail(key, context, 0);
                }

                @Override
                public ProviderEvaluation<T> build(EvaluationDetail<?> detail, FlagFacts facts, FlagView view, String reason) {
                    double value = (Double) detail.value();
                    if (value != Math.rint(value) || value < min || value > max) {
                        return error(null, ErrorCode.TYPE_MISMATCH, facts.key() + " serves " + value + ", not a whole number in range");
                    }
                    return served(convert.apply(value), detail, facts, view, reason);
                }
            };
        }

        private static <T> ProviderEvaluation<T> served(T value, EvaluationDetail<?> detail, FlagFacts facts, FlagView view,
                                                        String reason) {
            String name = facts.variationName(detail.variationIndex());
            return ProviderEvaluation.<T>builder().value(value).variant(name != null ? name : Integer.toString(detail.variationIndex()))
                    .reason(reason).flagMetadata(view.metadata).build();
        }
    }
}
