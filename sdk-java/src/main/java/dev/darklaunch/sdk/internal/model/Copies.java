package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Defensive copies for the records' compact constructors. */
final class Copies {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Copies() {}

    /** An immutable copy; {@code null} becomes the empty list. Elements must not be null. */
    static <T> List<T> list(List<T> list) {
        if (list == null) {
            return List.of();
        }
        for (T element : list) {
            if (element == null) {
                throw new NullPointerException("list elements must not be null");
            }
        }
        return List.copyOf(list);
    }

    /** Immutable deep copies of JSON values, as {@link #json} makes them. */
    static List<JsonNode> jsonList(List<JsonNode> list) {
        if (list == null) {
            return List.of();
        }
        List<JsonNode> copy = new ArrayList<>(list.size());
        for (JsonNode node : list) {
            copy.add(json(node));
        }
        return List.copyOf(copy);
    }

    /** An unmodifiable copy keeping the order, values copied as {@link #json} does; {@code null} becomes the empty map. */
    static Map<String, JsonNode> jsonMap(Map<String, JsonNode> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : map.entrySet()) {
            copy.put(Objects.requireNonNull(entry.getKey(), "map keys must not be null"), json(entry.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A deep copy in canonical form: {@code null} (and a missing node) becomes {@link NullNode}, and numbers take the
     * node type {@link ModelJson#mapper()} gives them when reading their JSON text (int, long or
     * big integer by magnitude; double for anything with a fraction or exponent). Two values with
     * the same JSON text are therefore equal, whether they were parsed or built in code.
     */
    static JsonNode json(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return NullNode.getInstance();
        }
        if (node.isNumber()) {
            return number(node);
        }
        if (node.isArray()) {
            var array = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode element : node) {
                array.add(json(element));
            }
            return array;
        }
        if (node.isObject()) {
            var object = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                object.set(field.getKey(), json(field.getValue()));
            }
            return object;
        }
        return node.deepCopy();
    }

    private static JsonNode number(JsonNode node) {
        if (!node.isIntegralNumber()) {
            // The JSON text, parsed as the reader would (FloatNode 0.1f writes "0.1").
            return DoubleNode.valueOf(Double.parseDouble(node.asText()));
        }
        if (node.canConvertToInt()) {
            return JsonNodeFactory.instance.numberNode(node.intValue());
        }
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
            return JsonNodeFactory.instance.numberNode(value.longValue());
        }
        return JsonNodeFactory.instance.numberNode(value);
    }
}
