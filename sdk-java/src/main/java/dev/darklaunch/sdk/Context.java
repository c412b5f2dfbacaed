package dev.darklaunch.sdk;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Who a flag is evaluated for: a key (a user id, an account id, a device id…) and attributes that
 * rules can match on. Immutable: {@code with} returns a new context, so one context can be shared
 * between threads and reused for many evaluations — build it once per request, not per call.
 *
 * <pre>{@code
 * Context user = Context.of("user-42").with("country", "NO").with("plan", "pro").with("beta", true);
 * }</pre>
 *
 * <p>Attribute values are text, numbers, booleans, or lists of those (a clause then matches when
 * any element matches). The attribute {@value #KEY} is the context key itself.
 */
public final class Context {

    /** The name under which rules see the context key. */
    public static final String KEY = "key";
    private static final int MAX_ATTRIBUTES = 100;

    private static final String[] NO_NAMES = {};
    private static final Object[] NO_VALUES = {};

    /** The key; null for a {@link #view}, whose source gives it. */
    private final String key;
    /** For a {@link #view}: where the key and attributes are read; null otherwise. */
    private final Source source;
    // Attribute names are interned and kept in a small array beside their values: rules look them
    // up on every evaluation, and comparing interned names by identity in one cache line beats
    // hashing into a map (see the rule benchmark in BENCHMARKS.md).
    private final String[] names;
    private final Object[] values;
    /** Attributes looked up on demand, after the ones above; null for most contexts. */
    private final Function<String, ?> lookup;

    private Context(String key, String[] names, Object[] values, Function<String, ?> lookup) {
        this(key, names, values, lookup, null);
    }

    private Context(String key, String[] names, Object[] values, Function<String, ?> lookup, Source source) {
        this.key = key;
        this.names = names;
        this.values = values;
        this.lookup = lookup;
        this.source = source;
    }

    /**
     * Where a {@link #view} reads its key and attributes, each time a rule or rollout asks. For
     * adapters that evaluate another library's context without copying it (the OpenFeature provider).
     */
    public interface Source {
        /** The context key; never null. */
        String key();

        /** An attribute as {@link #of(String, Function)} describes its values, or null when there is none. */
        Object get(String attribute);
    }

    /**
     * A context that reads its key and attributes from {@code source} whenever they are needed, so
     * one view can serve many evaluations while its source changes between them — an adapter keeps
     * one per thread and evaluates without allocating. A view holds no attributes of its own
     * ({@link #attributes()} is empty) and is equal only to itself.
     *
     * @throws NullPointerException if {@code source} is null
     */
    public static Context view(Source source) {
        Objects.requireNonNull(source, "source");
        return new Context(null, NO_NAMES, NO_VALUES, source::get, source);
    }

    /**
     * @throws NullPointerException if {@code key} is null
     */
    public static Context of(String key) {
        return new Context(Objects.requireNonNull(key, "a context needs a key"), NO_NAMES, NO_VALUES, null);
    }

    /**
     * A context whose attributes are looked up on demand: {@code attributes} is asked for an
     * attribute only when a rule or rollout needs it (and the context has no such attribute set by
     * {@code with}), so nothing is copied up front. For adapters over another library's context
     * (the OpenFeature provider). The function must be thread-safe if the context is shared,
     * and answer text, a number, a boolean, a list of those, or null when there is no such
     * attribute; anything else matches nothing. {@link #attributes()} lists only attributes set by
     * {@code with}; two such contexts are equal only with the same function.
     *
     * @throws NullPointerException if {@code key} or {@code attributes} is null
     */
    public static Context of(String key, Function<String, ?> attributes) {
        return new Context(Objects.requireNonNull(key, "a context needs a key"), NO_NAMES, NO_VALUES,
                Objects.requireNonNull(attributes, "attributes"));
    }

    public Context with(String attribute, String value) {
        return put(attribute, value);
    }

    public Context with(String attribute, boolean value) {
        return put(attribute, value);
    }

    public Context with(String attribute, long value) {
        return put(attribute, value);
    }

    public Context with(String attribute, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("attribute " + attribute + " must be a finite number");
        }
        return put(attribute, value);
    }

    /**
     * A list attribute; a clause on it matches when it matches any element.
     *
     * @throws IllegalArgumentException if an element is not text, a finite number or a boolean
     */
    public Context with(String attribute, Collection<?> values) {
        for (Object value : values) {
            if (!(value instanceof String || value instanceof Boolean || value instanceof Number)) {
                throw new IllegalArgumentException("attribute " + attribute + " may hold text, numbers and booleans, not "
                        + (value == null ? "null" : value.getClass().getSimpleName()));
            }
            if ((value instanceof Double || value instanceof Float) && !Double.isFinite(((Number) value).doubleValue())) {
                throw new IllegalArgumentException("attribute " + attribute + " must hold finite numbers");
            }
        }
        return put(attribute, List.copyOf(values));
    }

    public String key() {
        return source == null ? key : source.key();
    }

    /** The attribute's value ({@link #KEY} is the key), or null when the context does not have it. */
    public Object get(String attribute) {
        String[] all = names;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == attribute) {
                return values[i];
            }
        }
        if (attribute == KEY) {
            return key();
        }
        return getByEquality(attribute);
    }

    /** The slow path, for names that are not interned (rules' names always are). */
    private Object getByEquality(String attribute) {
        if (KEY.equals(attribute)) {
            return key();
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(attribute)) {
                return values[i];
            }
        }
        return lookup == null ? null : lookup.apply(attribute);
    }

    /** All attributes except the key, unmodifiable. */
    public Map<String, Object> attributes() {
        Map<String, Object> all = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            all.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(all);
    }

    private Context put(String attribute, Object value) {
        Objects.requireNonNull(attribute, "attribute name");
        Objects.requireNonNull(value, "attribute value");
        if (source != null) {
            throw new UnsupportedOperationException("a view reads everything from its source");
        }
        if (KEY.equals(attribute)) {
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException("the key is text");
            }
            return new Context(text, names, values, lookup);
        }
        String name = attribute.intern();
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                Object[] replaced = values.clone();
                replaced[i] = value;
                return new Context(key, names, replaced, lookup);
            }
        }
        if (names.length >= MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("a context holds at most " + MAX_ATTRIBUTES + " attributes");
        }
        String[] moreNames = Arrays.copyOf(names, names.length + 1);
        Object[] moreValues = Arrays.copyOf(values, values.length + 1);
        moreNames[names.length] = name;
        moreValues[values.length] = value;
        return new Context(key, moreNames, moreValues, lookup);
    }

    @Override
    public boolean equals(Object other) {
        if (source != null || other instanceof Context view && view.source != null) {
            return this == other;
        }
        return other instanceof Context that && key.equals(that.key) && attributes().equals(that.attributes())
                && Objects.equals(lookup, that.lookup);
    }

    @Override
    public int hashCode() {
        if (source != null) {
            return System.identityHashCode(this);
        }
        return key.hashCode() * 31 + attributes().hashCode();
    }

    @Override
    public String toString() {
        return "Context[" + key() + ", " + attributes() + "]";
    }
}
