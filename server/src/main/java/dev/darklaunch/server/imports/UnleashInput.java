package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.InvalidModelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the parts of an Unleash payload the importer needs, naming the offending input by its
 * JSON path when its shape is wrong. Unknown properties are ignored: Unleash adds fields to its
 * payload in every release, and none of them may break an import.
 */
final class UnleashInput {

    private UnleashInput() {
    }

    /** A required string property. */
    static String text(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || !value.isTextual()) {
            throw new InvalidModelException(at(path, name), value == null || value.isNull()
                    ? "is required: a string" : "must be a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.textValue();
    }

    /** An optional string property, or null when absent or JSON null. */
    static String optionalText(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidModelException(at(path, name), "must be a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.textValue();
    }

    /** An optional boolean property. */
    static boolean bool(JsonNode parent, String name, String path, boolean absent) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw new InvalidModelException(at(path, name), "must be true or false");
        }
        return value.booleanValue();
    }

    /** The elements of an optional array property; absent or null is empty. Elements must be objects. */
    static List<JsonNode> objects(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new InvalidModelException(at(path, name), "must be an array");
        }
        List<JsonNode> elements = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isObject()) {
                throw new InvalidModelException(at(path, name) + "[" + i + "]", "must be an object");
            }
            elements.add(value.get(i));
        }
        return elements;
    }

    /**
     * An optional array of scalars as text (Unleash sends constraint values and dependency
     * variants as strings; numbers and booleans are read as their JSON text, nulls are skipped).
     */
    static List<String> texts(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new InvalidModelException(at(path, name), "must be an array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (element.isContainerNode()) {
                throw new InvalidModelException(at(path, name) + "[" + i + "]", "must be a string");
            }
            if (!element.isNull()) {
                texts.add(element.asText());
            }
        }
        return texts;
    }

    /** An optional scalar property as text (strategy parameters may be numbers), or null. */
    static String scalar(JsonNode parent, String name, String path) {
        JsonNode value = parent == null ? null : parent.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new InvalidModelException(at(path, name), "must be a string");
        }
        return value.asText();
    }

    /** A required whole number property. */
    static int integer(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidModelException(at(path, name), "is required: a whole number");
        }
        return value.intValue();
    }

    static String at(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
