package dev.darklaunch.sdk.internal.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.ModelJson;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.Variation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Model objects and contexts for the evaluator tests, built directly (no JSON). */
final class EvaluationFixtures {

    /** Index of {@code true} in {@link Flag#ofBoolean}. */
    static final int TRUE = 0;
    /** Index of {@code false} in {@link Flag#ofBoolean}. */
    static final int FALSE = 1;

    private EvaluationFixtures() {
    }

    static JsonNode json(Object value) {
        return ModelJson.mapper().valueToTree(value);
    }

    static List<JsonNode> values(Object... values) {
        List<JsonNode> nodes = new ArrayList<>();
        for (Object value : values) {
            nodes.add(json(value));
        }
        return nodes;
    }

    static Clause clause(String attribute, Operator op, Object... values) {
        return new Clause(attribute, op, values(values), false, false);
    }

    static Clause negated(Clause clause) {
        return new Clause(clause.attribute(), clause.op(), clause.values(), !clause.negate(), clause.caseInsensitive());
    }

    static Clause caseInsensitive(Clause clause) {
        return new Clause(clause.attribute(), clause.op(), clause.values(), clause.negate(), true);
    }

    /** A context with attributes given as name, value pairs; values are text, numbers, booleans or lists. */
    static Context context(String key, Object... namesAndValues) {
        Context context = Context.of(key);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            context = with(context, (String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return context;
    }

    static Context with(Context context, String name, Object value) {
        if (value instanceof String text) {
            return context.with(name, text);
        }
        if (value instanceof Boolean bool) {
            return context.with(name, bool);
        }
        if (value instanceof Double || value instanceof Float) {
            return context.with(name, ((Number) value).doubleValue());
        }
        if (value instanceof Number number) {
            return context.with(name, number.longValue());
        }
        if (value instanceof Collection<?> list) {
            return context.with(name, list);
        }
        throw new IllegalArgumentException("not an attribute value: " + value);
    }

    static Flag stringFlag(String key, String... values) {
        List<Variation> variations = new ArrayList<>();
        for (String value : values) {
            variations.add(Variation.of(json(value)));
        }
        return new Flag(key, key, null, FlagKind.STRING, variations, List.of(), null, null, false);
    }

    static Rule rule(String id, Serve serve, Clause... clauses) {
        return new Rule(id, null, List.of(clauses), serve);
    }

    /** On, no targets or prerequisites, these rules, then the fallthrough; off serves {@code offVariation}. */
    static FlagConfig onWith(int offVariation, Serve fallthrough, Rule... rules) {
        return new FlagConfig(true, offVariation, List.of(), List.of(rules), fallthrough, List.of());
    }

    static EnvironmentFlag flag(Flag flag, FlagConfig config) {
        return new EnvironmentFlag(flag, config);
    }

    static Snapshot snapshot(EnvironmentFlag... flags) {
        return snapshot(List.of(), flags);
    }

    static Snapshot snapshot(List<EnvironmentSegment> segments, EnvironmentFlag... flags) {
        return Snapshot.compile(new EnvironmentData(1, List.of(flags), segments));
    }

    static Outcome evaluate(Snapshot snapshot, String flagKey, Context context) {
        return Evaluator.evaluate(snapshot, snapshot.flag(flagKey), context);
    }
}
