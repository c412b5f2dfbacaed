package dev.darklaunch.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Darklaunch's JSON values and OpenFeature's {@link Value}. Values handed to
 * applications are immutable (ImmutableStructure, unmodifiable lists): the provider reuses them
 * across evaluations.
 */
final class Values {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Values() {
    }

    /**
     * A JSON value as an OpenFeature value. Whole numbers become Integer when they fit, else Long;
     * numbers with a fraction or exponent become Double; JSON null becomes an empty Value.
     */
    static Value toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Value();
        }
        if (node.isBoolean()) {
            return new Value(node.booleanValue());
        }
        if (node.isTextual()) {
            return new Value(node.textValue());
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToInt()) {
                return new Value(node.intValue());
            }
            // beyond long (Darklaunch accepts such numbers), a Double is the nearest OpenFeature can hold
            return node.canConvertToLong() ? new Value(node.longValue()) : new Value(node.doubleValue());
        }
        if (node.isNumber()) {
            return new Value(node.doubleValue());
        }
        if (node.isArray()) {
            List<Value> elements = new ArrayList<>(node.size());
            node.forEach(element -> elements.add(toValue(element)));
            return new Value(Collections.unmodifiableList(elements));
        }
        Map<String, Value> fields = new HashMap<>();
        node.properties().forEach(field -> fields.put(field.getKey(), toValue(field.getValue())));
        return new Value(new ImmutableStructure(fields));
    }

    /** An OpenFeature value as JSON; instants become ISO-8601 text (as Darklaunch's date operators read them). */
    static JsonNode toJson(Value value) {
        if (value == null || value.isNull()) {
            return JSON.nullNode();
        }
        Object inner = value.asObject();
        if (inner instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (inner instanceof String s) {
            return JSON.textNode(s);
        }
        if (inner instanceof Integer i) {
            return JSON.numberNode(i);
        }
        if (inner instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (inner instanceof Number n) {
            return JSON.numberNode(n.doubleValue());
        }
        if (value.isInstant()) {
            return JSON.textNode(value.asInstant().toString());
        }
        if (value.isList()) {
            ArrayNode array = JSON.arrayNode();
            value.asList().forEach(element -> array.add(toJson(element)));
            return array;
        }
        Structure structure = value.asStructure();
        ObjectNode object = JSON.objectNode();
        structure.asUnmodifiableMap().forEach((name, field) -> object.set(name, toJson(field)));
        return object;
    }
}
