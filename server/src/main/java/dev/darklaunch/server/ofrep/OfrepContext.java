package dev.darklaunch.server.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An OFREP evaluation context ({@code {"targetingKey": "user-42", "country": "NO", …}}) as an SDK
 * {@link Context}: the targeting key is the context key; text, numbers, booleans and lists of
 * those are attributes. Structures and nulls are left out, since no rule can name what is inside
 * them (OpenFeature clients send such values, and refusing the whole context for them would break
 * evaluation for everyone). The same bounds as the evaluate API's contexts keep one request's work
 * small.
 */
final class OfrepContext {

    static final int MAX_ATTRIBUTES = 100;
    static final int MAX_TEXT = 10_000;
    static final int MAX_LIST = 1_000;
    static final int MAX_NAME = 100;
    private static final String TARGETING_KEY = "targetingKey";

    private OfrepContext() {
    }

    static Context parse(JsonNode context) {
        if (context == null || context.isNull()) {
            throw OfrepFailure.invalidContext("context", "context is required: {\"context\": {\"targetingKey\": \"user-42\"}}");
        }
        if (!context.isObject()) {
            throw OfrepFailure.invalidContext("context", "context must be an object, such as {\"targetingKey\": \"user-42\"}");
        }
        JsonNode key = context.get(TARGETING_KEY);
        if (key == null || key.isNull() || (key.isTextual() && key.textValue().isEmpty())) {
            throw OfrepFailure.targetingKeyMissing();
        }
        if (!key.isTextual() || key.textValue().length() > MAX_TEXT) {
            throw OfrepFailure.invalidContext("context.targetingKey", "targetingKey is text of at most " + MAX_TEXT + " characters");
        }
        if (context.size() > MAX_ATTRIBUTES + 1) {
            throw OfrepFailure.invalidContext("context", "a context has at most " + MAX_ATTRIBUTES + " attributes besides its targetingKey");
        }
        Context parsed = Context.of(key.textValue());
        for (Iterator<Map.Entry<String, JsonNode>> it = context.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            String name = attribute.getKey();
            if (name.equals(TARGETING_KEY) || name.equals(Context.KEY)) {
                continue; // "key" is how rules name the targeting key: an attribute of that name cannot override it
            }
            String path = "context." + name;
            if (name.isEmpty() || name.length() > MAX_NAME) {
                throw OfrepFailure.invalidContext(path, "attribute names are 1 to " + MAX_NAME + " characters");
            }
            parsed = with(parsed, name, attribute.getValue(), path);
        }
        return parsed;
    }

    private static Context with(Context context, String name, JsonNode value, String path) {
        if (value.isTextual()) {
            return context.with(name, text(value, path));
        }
        if (value.isBoolean()) {
            return context.with(name, value.booleanValue());
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return context.with(name, value.longValue());
        }
        if (value.isNumber()) {
            double number = value.doubleValue();
            return Double.isFinite(number) ? context.with(name, number) : context;
        }
        if (value.isArray()) {
            if (value.size() > MAX_LIST) {
                throw OfrepFailure.invalidContext(path, "a list attribute holds at most " + MAX_LIST + " values");
            }
            List<Object> values = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                JsonNode element = value.get(i);
                if (element.isTextual()) {
                    values.add(text(element, path + "[" + i + "]"));
                } else if (element.isBoolean()) {
                    values.add(element.booleanValue());
                } else if (element.isNumber() && Double.isFinite(element.doubleValue())) {
                    values.add(element.isIntegralNumber() && element.canConvertToLong() ? element.longValue() : element.doubleValue());
                } else {
                    return context; // a list of structures: nothing a rule can compare with
                }
            }
            return context.with(name, values);
        }
        return context; // null or a structure
    }

    private static String text(JsonNode value, String path) {
        if (value.textValue().length() > MAX_TEXT) {
            throw OfrepFailure.invalidContext(path, "text attributes are at most " + MAX_TEXT + " characters");
        }
        return value.textValue();
    }
}
