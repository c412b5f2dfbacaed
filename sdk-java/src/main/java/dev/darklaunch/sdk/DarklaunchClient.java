package dev.darklaunch.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.data.DataSource;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.Outcome;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.FlagKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * Create one client per environment and application, share it, and {@link #close()} it on shutdown.
 */
public final class DarklaunchClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DarklaunchClient.class);

    private final DataSource source;
    private volatile Snapshot snapshot;

    DarklaunchClient(DataSource source) {
        this.source = source;
        source.start(this::apply);
    }

    /** A client over the configured data. */
    public static DarklaunchClient create(DarklaunchConfig config) {
        return new DarklaunchClient(new StaticSource(config.bootstrap().orElse(null)));
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

    /** Every flag's value for the context, as JSON, by flag key (flags that fail to evaluate are left out). */
    public Map<String, JsonNode> allFlags(Context context) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Snapshot current = snapshot;
        if (current == null || context == null) {
            return values;
        }
        current.flagKeys().stream().sorted().forEach(key -> {
            EvaluationDetail<JsonNode> detail = jsonVariationDetail(key, context, null);
            if (!detail.isDefaultValue()) {
                values.put(key, detail.value());
            }
        });
        return values;
    }

    /** Whether the client has flag data to evaluate (before that, every call serves its default). */
    public boolean isReady() {
        return snapshot != null;
    }

    @Override
    public void close() {
        source.close();
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
        try {
            Snapshot current = snapshot;
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
                return Reason.error(Reason.ErrorKind.WRONG_TYPE);
            }
            Outcome outcome = Evaluator.evaluate(current, flag, context);
            return outcome.isError() ? outcome.reason() : outcome;
        } catch (RuntimeException e) {
            log.warn("evaluating {} failed; serving the default", flagKey, e);
            return Reason.error(Reason.ErrorKind.MALFORMED_FLAG);
        }
    }

    private void apply(EnvironmentData data) {
        snapshot = Snapshot.compile(data);
    }

    /** Data given once at start (bootstrap), or none. */
    private record StaticSource(EnvironmentData data) implements DataSource {
        @Override
        public void start(Consumer<EnvironmentData> sink) {
            if (data != null) {
                sink.accept(data);
            }
        }

        @Override
        public void close() {
        }
    }
}
