package dev.darklaunch.server.guards;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.darklaunch.server.guards.SequentialComparison.Bad;
import dev.darklaunch.server.guards.SequentialComparison.Tolerance;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a guard watches and what it does: a metric the application tracks (an event's rate per
 * exposure, the ratio of two events, or an event's mean value), which direction is bad, how much
 * worse the released variation may be than the rest, how many observations each arm needs
 * before anything is decided, what to do on a regression (pause the release or roll the
 * deployment back) and α, the chance of calling a regression that is not there.
 *
 * <p>{@link Definition} is the JSON form the API takes and shows and the database keeps; it is
 * validated into a spec by {@link #of}, which fills in the defaults.
 */
public record GuardSpec(String name, Kind kind, String event, String per, Bad bad, Tolerance tolerance, long minSample,
                        Action action, double alpha) {

    public static final double DEFAULT_ALPHA = 0.05;
    public static final long DEFAULT_MIN_SAMPLE = 1000;
    public static final long MAX_MIN_SAMPLE = 1_000_000_000L;
    public static final int MAX_NAME_LENGTH = 200;
    private static final Pattern EVENT_NAME = Pattern.compile("[^\\p{Cntrl}]{1,200}");

    /** What is measured per arm. */
    public enum Kind {
        /** {@code event}s per exposure of the flag (errors per request). */
        RATE,
        /** {@code event}s per {@code per} event (failed payments per payment). */
        RATIO,
        /** The mean value of {@code event} (latency in milliseconds). */
        MEAN
    }

    /** What a regression sets off, as a person would: pause the release, or roll the deployment back. */
    public enum Action {
        PAUSE, ROLLBACK
    }

    /** The JSON form: as the API takes and shows it, and as it is stored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Definition(String name, MetricDefinition metric, String bad, ToleranceDefinition tolerance, Long minSample,
                             String action, Double alpha) {
    }

    /** {@code {"kind": "rate" | "ratio" | "mean", "event": …, "per": … (ratio only)}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MetricDefinition(String kind, String event, String per) {
    }

    /** {@code {"relative": 0.1}} (ten per cent worse) or {@code {"absolute": 0.002}} (in the metric's unit). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToleranceDefinition(Double relative, Double absolute) {
    }

    /**
     * Validates a definition and fills in its defaults: bad = higher, tolerance = relative 0 (no
     * worse at all), minSample = {@value #DEFAULT_MIN_SAMPLE}, alpha = {@value #DEFAULT_ALPHA}; the
     * name defaults to the metric's event.
     *
     * @throws InvalidGuard naming the field at fault
     */
    public static GuardSpec of(Definition definition) {
        if (definition == null) {
            throw new InvalidGuard("", "a guard is an object with a metric and an action");
        }
        MetricDefinition metric = definition.metric();
        if (metric == null) {
            throw new InvalidGuard("metric", "metric is required: {\"kind\": \"rate\" | \"ratio\" | \"mean\", \"event\": …}");
        }
        Kind kind = oneOf("metric.kind", metric.kind(), Kind.class, "rate, ratio or mean");
        String event = eventName("metric.event", metric.event());
        String per = null;
        if (kind == Kind.RATIO) {
            per = eventName("metric.per", metric.per());
            if (per.equals(event)) {
                throw new InvalidGuard("metric.per", "a ratio compares two different events; 'per' names the same event as 'event'");
            }
        } else if (metric.per() != null) {
            throw new InvalidGuard("metric.per", "'per' (the denominator event) belongs to a ratio metric only; a "
                    + kind.name().toLowerCase(Locale.ROOT) + " metric has none");
        }
        Bad bad = definition.bad() == null ? Bad.HIGHER : oneOf("bad", definition.bad(), Bad.class, "higher or lower");
        Tolerance tolerance = tolerance(definition.tolerance());
        long minSample = definition.minSample() == null ? DEFAULT_MIN_SAMPLE : definition.minSample();
        if (minSample < 2 || minSample > MAX_MIN_SAMPLE) {
            throw new InvalidGuard("minSample", "minSample (observations each arm needs before a decision) must be from 2 to "
                    + MAX_MIN_SAMPLE + ", not " + minSample);
        }
        if (definition.action() == null) {
            throw new InvalidGuard("action", "action is required: pause or rollback");
        }
        Action action = oneOf("action", definition.action(), Action.class, "pause or rollback");
        double alpha = definition.alpha() == null ? DEFAULT_ALPHA : definition.alpha();
        if (!(alpha >= 0.0001 && alpha <= 0.2)) {
            throw new InvalidGuard("alpha", "alpha (the chance of a false alarm) must be from 0.0001 to 0.2, not " + alpha);
        }
        String name = definition.name() == null ? event : definition.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new InvalidGuard("name", "a guard's name is 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return new GuardSpec(name, kind, event, per, bad, tolerance, minSample, action, alpha);
    }

    /** The definition with every default filled in: what is stored and shown. */
    public Definition definition() {
        return new Definition(name, new MetricDefinition(wire(kind), event, per), wire(bad),
                tolerance.relative() ? new ToleranceDefinition(tolerance.amount(), null) : new ToleranceDefinition(null, tolerance.amount()),
                minSample, wire(action), alpha);
    }

    /** How the metric reads in a sentence: "error per exposure", "payment-failed per payment", "mean latency". */
    public String describeMetric() {
        return switch (kind) {
            case RATE -> event + " per exposure";
            case RATIO -> event + " per " + per;
            case MEAN -> "mean " + event;
        };
    }

    private static Tolerance tolerance(ToleranceDefinition definition) {
        if (definition == null) {
            return Tolerance.relative(0);
        }
        if ((definition.relative() == null) == (definition.absolute() == null)) {
            throw new InvalidGuard("tolerance", "tolerance is {\"relative\": fraction} or {\"absolute\": amount}, exactly one");
        }
        boolean relative = definition.relative() != null;
        double amount = relative ? definition.relative() : definition.absolute();
        if (!Double.isFinite(amount) || amount < 0) {
            throw new InvalidGuard(relative ? "tolerance.relative" : "tolerance.absolute",
                    "a tolerance is a finite amount of 0 or more, not " + amount);
        }
        if (relative && amount > 100) {
            throw new InvalidGuard("tolerance.relative", "a relative tolerance is a fraction (0.1: ten per cent worse), at most 100");
        }
        return relative ? Tolerance.relative(amount) : Tolerance.absolute(amount);
    }

    private static String eventName(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidGuard(field, field.substring(field.indexOf('.') + 1) + " is required: the name of an event the application tracks");
        }
        if (!EVENT_NAME.matcher(name).matches()) {
            throw new InvalidGuard(field, "an event name is 1 to 200 characters without control characters");
        }
        return name;
    }

    private static <E extends Enum<E>> E oneOf(String field, String value, Class<E> type, String allowed) {
        if (value == null) {
            throw new InvalidGuard(field, field + " is required: " + allowed);
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        throw new InvalidGuard(field, field + " must be " + allowed + ", not '" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
