package dev.darklaunch.server.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Field-level differences between two JSON trees, in readable paths ({@code rules[0].serve.variation}):
 * objects field by field, arrays element by element, anything else as one value. A field that is
 * only on one side is a change from or to null.
 */
final class Diff {

    /** One field that differs: its path and its values before and after (null: absent). */
    record FieldChange(String path, JsonNode before, JsonNode after) {
    }

    private Diff() {
    }

    static List<FieldChange> between(JsonNode before, JsonNode after) {
        List<FieldChange> changes = new ArrayList<>();
        walk("", orNull(before), orNull(after), changes);
        return changes;
    }

    private static void walk(String path, JsonNode before, JsonNode after, List<FieldChange> changes) {
        if (before.equals(after)) {
            return;
        }
        if (before.isObject() && after.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(fields::add);
            after.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                walk(path.isEmpty() ? field : path + "." + field, orNull(before.get(field)), orNull(after.get(field)), changes);
            }
        } else if (before.isArray() && after.isArray()) {
            Iterator<JsonNode> was = before.elements();
            Iterator<JsonNode> now = after.elements();
            for (int i = 0; was.hasNext() || now.hasNext(); i++) {
                walk(path + "[" + i + "]", was.hasNext() ? was.next() : NullNode.instance,
                        now.hasNext() ? now.next() : NullNode.instance, changes);
            }
        } else {
            changes.add(new FieldChange(path, before.isNull() ? null : before, after.isNull() ? null : after));
        }
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null || node.isMissingNode() ? NullNode.instance : node;
    }
}
