package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.internal.model.InvalidModelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a payload of Unleash's delta API ({@code {"events": [...]}}, as served by
 * {@code /api/client/delta}) into the features payload it describes, so both import alike:
 * {@code hydration} replaces everything, {@code feature-updated} / {@code segment-updated} add or
 * replace one feature or segment, {@code feature-removed} / {@code segment-removed} remove one.
 */
final class UnleashDelta {

    private UnleashDelta() {
    }

    static boolean isDelta(JsonNode payload) {
        return payload.has("events") && !payload.has("features");
    }

    static ObjectNode fold(JsonNode payload) {
        Map<String, JsonNode> features = new LinkedHashMap<>();
        Map<String, JsonNode> segments = new LinkedHashMap<>();
        List<JsonNode> events = UnleashInput.objects(payload, "events", "");
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String path = "events[" + i + "]";
            String type = UnleashInput.text(event, "type", path);
            switch (type) {
                case "hydration" -> {
                    features.clear();
                    segments.clear();
                    UnleashInput.objects(event, "features", path).forEach(f -> features.put(name(f, path), f));
                    UnleashInput.objects(event, "segments", path).forEach(s -> segments.put(id(s, path), s));
                }
                case "feature-updated" -> {
                    JsonNode feature = object(event, "feature", path);
                    features.put(name(feature, path + ".feature"), feature);
                }
                case "feature-removed" -> features.remove(UnleashInput.text(event, "featureName", path));
                case "segment-updated" -> {
                    JsonNode segment = object(event, "segment", path);
                    segments.put(id(segment, path + ".segment"), segment);
                }
                case "segment-removed" -> segments.remove(UnleashInput.scalar(event, "segmentId", path));
                default -> throw new InvalidModelException(path + ".type", "unknown delta event type '" + type
                        + "'; expected hydration, feature-updated, feature-removed, segment-updated or segment-removed");
            }
        }
        ObjectNode folded = JsonNodeFactory.instance.objectNode();
        ArrayNode featureArray = folded.putArray("features");
        features.values().forEach(featureArray::add);
        ArrayNode segmentArray = folded.putArray("segments");
        segments.values().forEach(segmentArray::add);
        return folded;
    }

    private static JsonNode object(JsonNode event, String name, String path) {
        JsonNode value = event.get(name);
        if (value == null || !value.isObject()) {
            throw new InvalidModelException(path + "." + name, "is required: an object");
        }
        return value;
    }

    private static String name(JsonNode feature, String path) {
        return UnleashInput.text(feature, "name", path);
    }

    private static String id(JsonNode segment, String path) {
        return Integer.toString(UnleashInput.integer(segment, "id", path));
    }
}
