package dev.darklaunch.server.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.server.failures.Failure;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A context as JSON ({@code {"key": "user-42", "country": "NO", "beta": true, "groups": ["a"]}})
 * turned into an SDK {@link Context}, within size limits so a preview request cannot be used to
 * make the server work without bound.
 */
final class ContextJson {

    static final int MAX_ATTRIBUTES = 100;
    static final int MAX_TEXT = 10_000;
    static final int MAX_LIST = 1_000;

    private ContextJson() {
    }

    static Context parse(JsonNode json, String field) {
        if (json == null || !json.isObject()) {
            throw Failure.invalid(field, "context must be an object with at least a \"key\"");
        }
        JsonNode key = json.get(Context.KEY);
        if (key == null || !key.isTextual() || key.textValue().length() > MAX_TEXT) {
            throw Failure.invalid(field + ".key", "context.key is required: text of at most " + MAX_TEXT + " characters");
        }
        if (json.size() > MAX_ATTRIBUTES + 1) {
            throw Failure.invalid(field, "a context has at most " + MAX_ATTRIBUTES + " attributes besides its key");
        }
        Context context = Context.of(key.textValue());
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            if (attribute.getKey().equals(Context.KEY)) {
                continue;
            }
            String path = field + "." + attribute.getKey();
            if (attribute.getKey().isEmpty() || attribute.getKey().length() > 100) {
                throw Failure.invalid(path, "attribute names are 1 to 100 characters");
            }
            context = with(context, attribute.getKey(), attribute.getValue(), path);
        }
        return context;
    }

    private static Context with(Context context, String name, JsonNode value, String path) {
        if (value.isTextual()) {
            checkText(value, path);
            return context.with(name, value.textValue());
        }
        if (value.isBoolean()) {
            return context.with(name, value.booleanValue());
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return context.with(name, value.longValue());
        }
        if (value.isNumber() && Double.isFinite(value.doubleValue())) {
            return context.with(name, value.doubleValue());
        }
        if (value.isArray()) {
            if (value.size() > MAX_LIST) {
                throw Failure.invalid(path, "a list attribute holds at most " + MAX_LIST + " values");
            }
            List<Object> values = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                JsonNode element = value.get(i);
                if (element.isTextual()) {
                    checkText(element, path + "[" + i + "]");
                    values.add(element.textValue());
                } else if (element.isBoolean()) {
                    values.add(element.booleanValue());
                } else if (element.isNumber() && Double.isFinite(element.doubleValue())) {
                    values.add(element.isIntegralNumber() && element.canConvertToLong() ? element.longValue() : element.doubleValue());
                } else {
                    throw Failure.invalid(path + "[" + i + "]", "list elements are text, numbers or booleans");
                }
            }
            return context.with(name, values);
        }
        throw Failure.invalid(path, "attributes are text, numbers, booleans or lists of those");
    }

    private static void checkText(JsonNode value, String path) {
        if (value.textValue().length() > MAX_TEXT) {
            throw Failure.invalid(path, "text attributes are at most " + MAX_TEXT + " characters");
        }
    }
}
