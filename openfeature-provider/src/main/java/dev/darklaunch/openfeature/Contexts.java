package dev.darklaunch.openfeature;

import dev.darklaunch.sdk.Context;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an OpenFeature evaluation context into a Darklaunch {@link Context}.
 *
 * <ul>
 *   <li>The targeting key is the context key. Without one the key is empty: flags that do not
 *       need a key (fixed values, rules on other attributes) still evaluate; a rollout that would
 *       place the context by its key answers TARGETING_KEY_MISSING instead (see the provider).</li>
 *   <li>Text, booleans and numbers are attributes as they are; instants become epoch milliseconds
 *       (what Darklaunch's {@code before}/{@code after} compare); lists of those are list
 *       attributes; structures are flattened into dotted names ({@code {"address": {"country":
 *       "NO"}}} is {@code address.country}) because Darklaunch's attributes are flat.</li>
 *   <li>Null values, and lists holding anything but text, numbers and booleans, are left out:
 *       no rule could match them, and an evaluation must not fail for data it does not use. An
 *       attribute named {@code key} is left out too: rules see the targeting key under that name.</li>
 * </ul>
 */
final class Contexts {

    /** The context of an evaluation without targeting key or attributes; shared, it is immutable. */
    private static final Context EMPTY = Context.of("");

    private Contexts() {
    }

    /**
     * @throws IllegalArgumentException when the context has more attributes than Darklaunch's
     *     limit (100)
     */
    static Context toDarklaunch(EvaluationContext evaluationContext) {
        if (evaluationContext == null) {
            return EMPTY;
        }
        String targetingKey = evaluationContext.getTargetingKey();
        Context context = targetingKey == null || targetingKey.isEmpty() ? EMPTY : Context.of(targetingKey);
        for (String name : evaluationContext.keySet()) {
            if (!EvaluationContext.TARGETING_KEY.equals(name)) {
                context = add(context, name, evaluationContext.getValue(name));
            }
        }
        return context;
    }

    static boolean hasTargetingKey(EvaluationContext evaluationContext) {
        String key = evaluationContext == null ? null : evaluationContext.getTargetingKey();
        return key != null && !key.isEmpty();
    }

    private static Context add(Context context, String name, Value value) {
        if (value == null || value.isNull() || Context.KEY.equals(name)) {
            return context;
        }
        Object inner = value.asObject();
        if (inner instanceof String text) {
            return context.with(name, text);
        }
        if (inner instanceof Boolean flag) {
            return context.with(name, flag);
        }
        if (inner instanceof Integer || inner instanceof Long) {
            return context.with(name, ((Number) inner).longValue());
        }
        if (inner instanceof Number number) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? context.with(name, d) : context;
        }
        if (value.isInstant()) {
            return context.with(name, value.asInstant().toEpochMilli());
        }
        if (value.isList()) {
            List<Object> scalars = scalars(value.asList());
            return scalars == null ? context : context.with(name, scalars);
        }
        if (value.isStructure()) {
            Structure structure = value.asStructure();
            for (String field : structure.keySet()) {
                context = add(context, name + "." + field, structure.getValue(field));
            }
        }
        return context;
    }

    /** The list's elements when all are text, finite numbers or booleans; else null. */
    private static List<Object> scalars(List<Value> values) {
        List<Object> scalars = new ArrayList<>(values.size());
        for (Value element : values) {
            Object inner = element == null ? null : element.asObject();
            if (inner instanceof String || inner instanceof Boolean || inner instanceof Integer || inner instanceof Long) {
                scalars.add(inner instanceof Integer i ? Long.valueOf(i) : inner);
            } else if (inner instanceof Double d && Double.isFinite(d)) {
                scalars.add(d);
            } else {
                return null;
            }
        }
        return scalars;
    }
}
