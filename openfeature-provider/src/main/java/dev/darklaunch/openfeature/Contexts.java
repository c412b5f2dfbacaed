package dev.darklaunch.openfeature;

import dev.darklaunch.sdk.Context;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an OpenFeature evaluation context into a Darklaunch {@link Context} whose attributes are
 * looked up on demand: nothing is copied up front, and an attribute no rule asks for costs
 * nothing (a flag without rules, or a rollout by key, reads no attribute at all).
 *
 * <ul>
 *   <li>The targeting key is the context key. Without one the key is empty: flags that do not
 *       need a key (fixed values, rules on other attributes) still evaluate; a rollout that would
 *       place the context by its key answers TARGETING_KEY_MISSING instead (see the provider).</li>
 *   <li>Text, booleans and numbers are attributes as they are; instants are epoch milliseconds
 *       (what Darklaunch's {@code before}/{@code after} compare); lists of those are list
 *       attributes; a field of a structure is reached by a dotted name ({@code address.country}
 *       for {@code {"address": {"country": "NO"}}}), because Darklaunch's attributes are flat.</li>
 *   <li>Nulls, non-finite numbers, structures themselves and lists holding anything but text,
 *       numbers and booleans are absent attributes: no rule could match them, and an evaluation
 *       must not fail for data it does not use. An attribute named {@code key} is the targeting
 *       key, as rules see it.</li>
 * </ul>
 */
final class Contexts {

    /** The context of an evaluation without targeting key or attributes; shared, it is immutable. */
    private static final Context EMPTY = Context.of("");

    private Contexts() {
    }

    static Context toDarklaunch(EvaluationContext evaluationContext) {
        if (evaluationContext == null) {
            return EMPTY;
        }
        String targetingKey = evaluationContext.getTargetingKey();
        return Context.of(targetingKey == null ? "" : targetingKey, name -> attribute(evaluationContext, name));
    }

    /**
     * This thread's {@link Context#view view}, reading {@code evaluationContext} until {@link #leave}:
     * the same answers as {@link #toDarklaunch}, without allocating. Safe because an evaluation reads
     * its context only while it runs, on the calling thread, and keeps nothing of it.
     */
    static Context enter(EvaluationContext evaluationContext) {
        if (evaluationContext == null) {
            return EMPTY;
        }
        ThreadView view = VIEWS.get();
        view.current = evaluationContext;
        view.key = null;
        return view.context;
    }

    /** Ends {@link #enter}: nothing of the caller's context stays with the thread. */
    static void leave() {
        ThreadView view = VIEWS.get();
        view.current = null;
        view.key = null;
    }

    /** One view per thread, pointed at the context being evaluated. */
    private static final ThreadLocal<ThreadView> VIEWS = ThreadLocal.withInitial(ThreadView::new);

    private static final class ThreadView implements Context.Source {
        private EvaluationContext current;
        /** The targeting key, once read: OpenFeature's contexts copy a value on every read. */
        private String key;
        private final Context context = Context.view(this);

        @Override
        public String key() {
            if (key == null) {
                String targetingKey = current.getTargetingKey();
                key = targetingKey == null ? "" : targetingKey;
            }
            return key;
        }

        @Override
        public Object get(String attribute) {
            return attribute(current, attribute);
        }
    }

    private static Object attribute(EvaluationContext context, String name) {
        if (EvaluationContext.TARGETING_KEY.equals(name)) {
            return null; // the key, under Darklaunch's name for it
        }
        Value value = context.getValue(name);
        if (value != null) {
            return plain(value);
        }
        // a.b.c: the field b.c of the structure a, or the field c of the structure a.b
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
            Value parent = context.getValue(name.substring(0, dot));
            if (parent != null && parent.isStructure()) {
                return field(parent.asStructure(), name.substring(dot + 1));
            }
        }
        return null;
    }

    private static Object field(Structure structure, String name) {
        Value value = structure.getValue(name);
        if (value != null) {
            return plain(value);
        }
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
            Value parent = structure.getValue(name.substring(0, dot));
            if (parent != null && parent.isStructure()) {
                return field(parent.asStructure(), name.substring(dot + 1));
            }
        }
        return null;
    }

    /** The value as a Darklaunch attribute value, or null when no rule could match it. */
    private static Object plain(Value value) {
        Object inner = value.asObject();
        if (inner instanceof String || inner instanceof Boolean || inner instanceof Integer || inner instanceof Long) {
            return inner;
        }
        if (inner instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value.isInstant()) {
            return value.asInstant().toEpochMilli();
        }
        if (value.isList()) {
            List<Object> scalars = new ArrayList<>();
            for (Value element : value.asList()) {
                Object plain = element == null ? null : plain(element);
                if (plain == null || plain instanceof List) {
                    return null;
                }
                scalars.add(plain);
            }
            return scalars;
        }
        return null;
    }
}
