package dev.darklaunch.sdk.internal.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.FlagFacts;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.Target;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A flag compiled for evaluation in one environment: every outcome it can produce is built in
 * advance, targets are a hash map, rules are arrays of compiled clauses. Immutable.
 */
public final class CompiledFlag {

    /** How one rule (or the fallthrough) serves: a fixed outcome or a rollout. */
    record Serving(Outcome fixed, CompiledRollout rollout) {
    }

    /** A rule: its clauses and how it serves. */
    record CompiledRule(ClauseMatcher[] clauses, Serving serving) {
    }

    /**
     * A prerequisite: the flag (compiled before this one; null when the environment has no such
     * flag), the variation it must serve, and the outcome when it does not.
     */
    record CompiledPrerequisite(CompiledFlag flag, int variation, Outcome failed) {
    }

    private final String key;
    private final FlagKind kind;
    private final boolean on;
    private final Outcome off;
    private final Outcome malformed;
    private final CompiledPrerequisite[] prerequisites;
    private final Map<String, Outcome> targets;
    private final CompiledRule[] rules;
    private final Serving fallthrough;
    /** What the fallthrough serves a context that lacks its rollout's bucketing attribute: the off variation. */
    private final Outcome unbucketed;
    private final boolean[] booleanValues;
    private final Outcome constant;
    private final CompiledRollout rolloutOnly;
    private final FlagFacts facts;
    /** Evaluation counts by served variation + 1 (slot 0: the default); null when not counting. */
    private LongAdder[] counts;
    /** Exposures and attributed events while a guarded release watches the flag; null otherwise. */
    private GuardedCounts guarded;

    private CompiledFlag(String key, FlagKind kind, boolean on, Outcome off, CompiledPrerequisite[] prerequisites,
                         Map<String, Outcome> targets, CompiledRule[] rules, Serving fallthrough, Outcome unbucketed,
                         boolean[] booleanValues, Flag flag, FlagConfig config) {
        this.key = key;
        this.kind = kind;
        this.on = on;
        this.off = off;
        this.malformed = new Outcome(-1, Reason.error(Reason.ErrorKind.MALFORMED_FLAG), null, null);
        this.prerequisites = prerequisites;
        this.targets = targets;
        this.rules = rules;
        this.fallthrough = fallthrough;
        this.unbucketed = unbucketed;
        this.booleanValues = booleanValues;
        boolean fallthroughOnly = on && prerequisites.length == 0 && targets.isEmpty() && rules.length == 0 && fallthrough != null;
        this.constant = !on ? off : fallthroughOnly ? fallthrough.fixed() : null;
        this.rolloutOnly = fallthroughOnly ? fallthrough.rollout() : null;
        this.facts = facts(flag, config, constant != null);
    }

    private static FlagFacts facts(Flag flag, FlagConfig config, boolean contextFree) {
        List<String> names = new ArrayList<>();
        flag.variations().forEach(v -> names.add(v.name()));
        Map<String, Object> metadata = new HashMap<>();
        if (config != null) {
            config.metadata().forEach((name, value) -> metadata.put(name, plain(value)));
        }
        return new FlagFacts(flag.key(), FlagFacts.Kind.valueOf(flag.kind().name()), names, metadata, contextFree);
    }

    private static Object plain(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.canConvertToInt() && value.isIntegralNumber()) {
            return value.intValue();
        }
        if (value.canConvertToLong() && value.isIntegralNumber()) {
            return value.longValue();
        }
        return value.doubleValue();
    }

    /**
     * Compiles a flag. Data that cannot be evaluated (a variation index out of range or a value
     * that does not fit the flag's kind, say, from a bootstrap file or a server newer or buggier
     * than this SDK) gives a flag whose every evaluation is MALFORMED_FLAG.
     *
     * @param segments the environment's compiled segments by key (null: no such segment)
     * @param compiled the flags compiled so far by key, among them every prerequisite of this one that
     *     the environment has (see {@link dev.darklaunch.sdk.internal.model.EnvironmentCheck})
     */
    static CompiledFlag compile(EnvironmentFlag data, Function<String, CompiledSegment> segments, Function<String, CompiledFlag> compiled) {
        Flag flag = data.flag();
        try {
            return compileValid(flag, data.config(), segments, compiled);
        } catch (RuntimeException e) {
            return malformed(flag);
        }
    }

    private static CompiledFlag compileValid(Flag flag, FlagConfig config, Function<String, CompiledSegment> segments,
                                             Function<String, CompiledFlag> compiled) {
        int n = flag.variations().size();
        Object[] values = new Object[n];
        JsonNode[] json = new JsonNode[n];
        boolean[] booleans = new boolean[n];
        for (int i = 0; i < n; i++) {
            json[i] = flag.variations().get(i).value();
            if (!ModelValidator.fitsKind(flag.kind(), json[i])) {
                throw new IllegalArgumentException("variation " + i + " does not fit the flag's kind");
            }
            values[i] = typed(flag.kind(), json[i]);
            booleans[i] = json[i].isBoolean() && json[i].booleanValue();
        }
        Outcome off = offOutcome(config.offVariation(), Reason.off(), values, json);

        CompiledPrerequisite[] prerequisites = new CompiledPrerequisite[config.prerequisites().size()];
        for (int i = 0; i < prerequisites.length; i++) {
            Prerequisite prerequisite = config.prerequisites().get(i);
            prerequisites[i] = new CompiledPrerequisite(compiled.apply(prerequisite.flag()), prerequisite.variation(),
                    offOutcome(config.offVariation(), Reason.prerequisiteFailed(prerequisite.flag()), values, json));
        }

        Map<String, Outcome> targets = new HashMap<>();
        for (Target target : config.targets()) {
            Outcome matched = outcome(target.variation(), Reason.targetMatch(), values, json);
            for (String contextKey : target.values()) {
                targets.putIfAbsent(contextKey, matched);
            }
        }

        CompiledRule[] rules = new CompiledRule[config.rules().size()];
        for (int i = 0; i < rules.length; i++) {
            Rule rule = config.rules().get(i);
            int index = i;
            ClauseMatcher[] clauses = rule.clauses().stream().map(c -> ClauseCompiler.compile(c, segments))
                    .toArray(ClauseMatcher[]::new);
            Serving serving = serving(flag.key(), rule.serve(), values, json,
                    inRollout -> Reason.ruleMatch(index, rule.id(), inRollout));
            rules[i] = new CompiledRule(clauses.length == 0 ? new ClauseMatcher[]{ClauseMatcher.Never.INSTANCE} : clauses, serving);
        }
        Serving fallthrough = serving(flag.key(), config.fallthrough(), values, json, Reason::fallthrough);
        Outcome unbucketed = offOutcome(config.offVariation(), Reason.fallthrough(false), values, json);
        return new CompiledFlag(flag.key(), flag.kind(), config.on(), off, prerequisites,
                targets.isEmpty() ? Collections.emptyMap() : targets, rules, fallthrough, unbucketed, booleans, flag, config);
    }

    private static Serving serving(String flagKey, Serve serve, Object[] values, JsonNode[] json,
                                   java.util.function.Function<Boolean, Reason> reason) {
        if (serve.variation() != null) {
            return new Serving(outcome(serve.variation(), reason.apply(false), values, json), null);
        }
        List<Outcome> byIndex = new ArrayList<>();
        Reason bucketed = reason.apply(true);
        for (int i = 0; i < values.length; i++) {
            byIndex.add(outcome(i, bucketed, values, json));
        }
        return new Serving(null, new CompiledRollout(serve.rollout(), flagKey, byIndex));
    }

    /** What serving the off variation gives: that variation, or, when the flag has none, the caller's default. */
    private static Outcome offOutcome(Integer offVariation, Reason reason, Object[] values, JsonNode[] json) {
        return offVariation == null ? new Outcome(-1, reason, null, null) : outcome(offVariation, reason, values, json);
    }

    private static Outcome outcome(int variation, Reason reason, Object[] values, JsonNode[] json) {
        if (variation < 0 || variation >= values.length) {
            throw new IllegalArgumentException("variation " + variation + " out of range");
        }
        return new Outcome(variation, reason, values[variation], json[variation]);
    }

    private static Object typed(FlagKind kind, JsonNode value) {
        return switch (kind) {
            case BOOLEAN -> value.booleanValue();
            case STRING -> value.textValue();
            case NUMBER -> value.doubleValue();
            case JSON -> value;
        };
    }

    /** A flag whose every evaluation is MALFORMED_FLAG (nothing of its configuration is compiled). */
    static CompiledFlag malformed(Flag flag) {
        return new CompiledFlag(flag.key(), flag.kind(), false, null, new CompiledPrerequisite[0], Map.of(), new CompiledRule[0], null, null,
                new boolean[0], flag, null);
    }

    /** Makes this flag count its evaluations (once, at snapshot compile time, before it is published). */
    void startCounting() {
        counts = new LongAdder[booleanValues.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Makes this flag count exposures and attributed events (once, at snapshot compile time, before it is published). */
    void startGuarding() {
        guarded = new GuardedCounts(booleanValues.length);
    }

    /**
     * Counts one evaluation that served {@code variation} (-1: the default), and one exposure when
     * the flag is guarded; allocation-free, a no-op when neither.
     */
    public void count(int variation) {
        LongAdder[] c = counts;
        if (c != null) {
            c[variation + 1].increment();
        }
        GuardedCounts g = guarded;
        if (g != null) {
            g.expose(variation);
        }
    }

    /** What is counted for the flag's guarded release, or null when no guard watches it (or the client sends nothing). */
    public GuardedCounts guarded() {
        return guarded;
    }

    /**
     * The counts since the last call, reset to zero, by variation + 1 (slot 0: the default); null
     * when not counting. Evaluations racing with the reset are counted in this or the next period.
     */
    public long[] takeCounts() {
        LongAdder[] c = counts;
        if (c == null) {
            return null;
        }
        long[] taken = new long[c.length];
        for (int i = 0; i < c.length; i++) {
            taken[i] = c[i].sumThenReset();
        }
        return taken;
    }

    public String key() {
        return key;
    }

    public FlagKind kind() {
        return kind;
    }

    /** The flag's kind, variation names, metadata and whether its answer depends on the context. */
    public FlagFacts facts() {
        return facts;
    }

    /** Whether the served variation of a boolean flag is {@code true}. */
    boolean booleanValue(Outcome outcome) {
        return outcome.variation() >= 0 && booleanValues[outcome.variation()];
    }

    /** The outcome when it cannot depend on the context (off, or on with nothing but a fixed fallthrough), else null. */
    Outcome constant() {
        return constant;
    }

    /** The rollout, when the flag is on and a fallthrough rollout is all it has; else null. */
    CompiledRollout rolloutOnly() {
        return rolloutOnly;
    }

    boolean on() {
        return on;
    }

    Outcome off() {
        return off == null ? malformed : off;
    }

    Outcome malformed() {
        return malformed;
    }

    CompiledPrerequisite[] prerequisites() {
        return prerequisites;
    }

    Map<String, Outcome> targets() {
        return targets;
    }

    CompiledRule[] rules() {
        return rules;
    }

    Serving fallthrough() {
        return fallthrough;
    }

    /** The outcome of the fallthrough for a context without its rollout's bucketing attribute. */
    Outcome unbucketed() {
        return unbucketed;
    }
}
