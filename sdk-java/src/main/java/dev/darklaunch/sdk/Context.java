package dev.darklaunch.sdk;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    private static final int MAX_ATTRIBUTES = 1_000;

    private final String key;
    private final Map<String, Object> attributes;

    private Context(String key, Map<String, Object> attributes) {
        this.key = key;
        this.attributes = attributes;
    }

    /**
     * @throws NullPointerException if {@code key} is null
     */
    public static Context of(String key) {
        return new Context(Objects.requireNonNull(key, "a context needs a key"), Map.of());
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
        return key;
    }

    /** The attribute's value ({@link #KEY} is the key), or null when the context does not have it. */
    public Object get(String attribute) {
        return KEY.equals(attribute) ? key : attributes.get(attribute);
    }

    /** All attributes except the key, unmodifiable. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    private Context put(String attribute, Object value) {
        Objects.requireNonNull(attribute, "attribute name");
        Objects.requireNonNull(value, "attribute value");
        if (KEY.equals(attribute)) {
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException("the key is text");
            }
            return new Context(text, attributes);
        }
        if (attributes.size() >= MAX_ATTRIBUTES && !attributes.containsKey(attribute)) {
            throw new IllegalArgumentException("a context holds at most " + MAX_ATTRIBUTES + " attributes");
        }
        Map<String, Object> copy = new HashMap<>(attributes);
        copy.put(attribute, value);
        return new Context(key, Map.copyOf(copy));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Context that && key.equals(that.key) && attributes.equals(that.attributes);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + attributes.hashCode();
    }

    @Override
    public String toString() {
        return "Context[" + key + ", " + attributes + "]";
    }
}
