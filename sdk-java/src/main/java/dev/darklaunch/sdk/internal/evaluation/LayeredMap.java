package dev.darklaunch.sdk.internal.evaluation;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable map whose {@link #with} gives a new map that shares almost all of this one: a
 * large base map plus a small layer of the keys changed since the base was built. So a patch
 * that changes a few keys of a 10 000-key snapshot copies a few keys, not 10 000; when the layer
 * grows past about the square root of the base, the two are merged into a new base (amortised
 * O(√n) per changed key). Lookups allocate nothing and cost at most two hash lookups.
 *
 * <p>Written here rather than taken from a library: the SDK depends only on Jackson, Caffeine,
 * SLF4J and re2j, and none of them offers a persistent map.
 *
 * @param <V> values; never null
 */
final class LayeredMap<V> {

    private static final Object REMOVED = new Object();
    private static final LayeredMap<?> EMPTY = new LayeredMap<>(new HashMap<>(), new HashMap<>(), 0);

    /** Never changed after construction: shared by every map built from this one. */
    private final HashMap<String, V> base;
    /** Keys changed since {@link #base}: their value, or {@link #REMOVED}. */
    private final HashMap<String, Object> layer;
    private final int size;

    private LayeredMap(HashMap<String, V> base, HashMap<String, Object> layer, int size) {
        this.base = base;
        this.layer = layer;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> LayeredMap<V> empty() {
        return (LayeredMap<V>) EMPTY;
    }

    /** A map holding {@code entries}, which the caller hands over and never changes again. */
    static <V> LayeredMap<V> of(HashMap<String, V> entries) {
        return new LayeredMap<>(entries, new HashMap<>(), entries.size());
    }

    @SuppressWarnings("unchecked")
    V get(String key) {
        if (!layer.isEmpty()) {
            Object changed = layer.get(key);
            if (changed != null) {
                return changed == REMOVED ? null : (V) changed;
            }
        }
        return base.get(key);
    }

    int size() {
        return size;
    }

    /** This map with {@code puts} put and then {@code removals} removed (a key in both ends up removed). */
    LayeredMap<V> with(Map<String, V> puts, Collection<String> removals) {
        if (puts.isEmpty() && removals.isEmpty()) {
            return this;
        }
        HashMap<String, Object> next = new HashMap<>(layer);
        int nextSize = size;
        for (Map.Entry<String, V> put : puts.entrySet()) {
            if (get(put.getKey()) == null) {
                nextSize++;
            }
            next.put(put.getKey(), put.getValue());
        }
        for (String key : removals) {
            Object before = next.containsKey(key) ? next.get(key) : base.get(key);
            if (before != null && before != REMOVED) {
                nextSize--;
            }
            if (base.containsKey(key)) {
                next.put(key, REMOVED);
            } else {
                next.remove(key);
            }
        }
        if (next.size() > 16 + 2 * (int) Math.sqrt(base.size())) {
            return LayeredMap.of(merged(next));
        }
        return new LayeredMap<>(base, next, nextSize);
    }

    /** Every entry, in no particular order. */
    void forEach(BiConsumer<String, V> action) {
        if (layer.isEmpty()) {
            base.forEach(action);
        } else {
            merged(layer).forEach(action);
        }
    }

    @SuppressWarnings("unchecked")
    private HashMap<String, V> merged(HashMap<String, Object> changes) {
        HashMap<String, V> all = new HashMap<>(base);
        changes.forEach((key, value) -> {
            if (value == REMOVED) {
                all.remove(key);
            } else {
                all.put(key, (V) value);
            }
        });
        return all;
    }
}
