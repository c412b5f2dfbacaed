package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.darklaunch.sdk.Context;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Darklaunch context that evaluates imported flags as Unleash evaluates its context:
 * <ul>
 *   <li>the key is {@code userId}, else {@code sessionId}, else {@code ""} (the first two
 *       non-empty): exactly what Unleash's "default" stickiness hashes;
 *   <li>{@code userId}, {@code sessionId}, {@code remoteAddress}, {@code environment},
 *       {@code appName} and {@code currentTime} become attributes of the same names, and each
 *       property becomes an attribute named by {@link UnleashNames#attribute} (a property does not
 *       replace one of those fields, as in Unleash);
 *   <li>{@code currentTime} defaults to {@code now}: Unleash SDKs compare dates with the current
 *       time when the context has none;
 *   <li>values are text, as in Unleash contexts; {@code null} values are left out.
 * </ul>
 * Applications that evaluate imported flags with a Darklaunch SDK build their contexts the same
 * way (and set {@code currentTime} themselves when flags compare dates).
 */
public final class UnleashContexts {

    static final List<String> FIELDS = List.of("userId", "sessionId", "remoteAddress", "environment", "appName", "currentTime");

    private UnleashContexts() {
    }

    /** The context for an Unleash context given as JSON (an object, or null for an empty one). */
    public static Context toContext(JsonNode unleash, Instant now) {
        JsonNode fields = unleash == null || !unleash.isObject() ? NullNode.getInstance() : unleash;
        String userId = text(fields.get("userId"));
        String sessionId = text(fields.get("sessionId"));
        String key = userId != null && !userId.isEmpty() ? userId : sessionId != null && !sessionId.isEmpty() ? sessionId : "";
        Context context = Context.of(key);
        for (String field : FIELDS) {
            String value = text(fields.get(field));
            if (value != null) {
                context = context.with(field, value);
            }
        }
        if (text(fields.get("currentTime")) == null) {
            context = context.with("currentTime", now.toString());
        }
        JsonNode properties = fields.get("properties");
        if (properties != null && properties.isObject()) {
            for (Map.Entry<String, JsonNode> property : properties.properties()) {
                String value = text(property.getValue());
                String attribute = UnleashNames.attribute(property.getKey());
                if (value != null && context.get(attribute) == null) {
                    context = context.with(attribute, value);
                }
            }
        }
        return context;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
