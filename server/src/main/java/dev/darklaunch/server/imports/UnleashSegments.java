package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.sdk.internal.model.SegmentRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Unleash global segments as Darklaunch segments. An Unleash segment is a list of constraints that
 * must all hold, so it becomes a segment with one rule; strategies refer to it with a
 * {@code segmentMatch} clause. A segment without constraints contains everyone (its rule is
 * "the context has a key", which every context has); one with a constraint that is always false
 * contains nobody (no rule).
 */
final class UnleashSegments {

    /** The segments of a payload, and the key each Unleash segment id became. */
    record Converted(List<UnleashImport.ImportedSegment> segments, Map<Integer, String> keys) {
    }

    private static final Clause EVERYONE = new Clause("key", Operator.EXISTS, List.of(), false, false);

    private UnleashSegments() {
    }

    /** The key of Unleash segment {@code id}: {@code unleash-segment-<id>}, stable across imports. */
    static String key(int id) {
        return "unleash-segment-" + id;
    }

    static Converted convert(List<JsonNode> segments, Consumer<UnleashImport.Warning> warnings) {
        List<UnleashImport.ImportedSegment> converted = new ArrayList<>();
        Map<Integer, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            JsonNode segment = segments.get(i);
            String path = "segments[" + i + "]";
            int id = UnleashInput.integer(segment, "id", path);
            String key = key(id);
            if (keys.putIfAbsent(id, key) != null) {
                throw new InvalidModelException(path + ".id", "segment " + id + " is listed twice");
            }
            String name = UnleashInput.optionalText(segment, "name", path);
            String label = name == null || name.isBlank() ? "Unleash segment " + id : name;
            Consumer<String> warn = message -> warnings.accept(new UnleashImport.Warning(null, "segment " + id + ": " + message));
            List<Clause> clauses = new ArrayList<>();
            boolean nobody = false;
            List<JsonNode> constraints = UnleashInput.objects(segment, "constraints", path);
            for (int c = 0; c < constraints.size(); c++) {
                UnleashConstraints.Term term = UnleashConstraints.translate(constraints.get(c), path + ".constraints[" + c + "]", warn);
                nobody |= term.isConstant() && !term.constant();
                if (!term.isConstant()) {
                    clauses.add(term.clause());
                }
            }
            List<SegmentRule> rules = nobody ? List.of()
                    : List.of(new SegmentRule(null, clauses.isEmpty() ? List.of(EVERYONE) : clauses));
            String description = UnleashInput.optionalText(segment, "description", path);
            UnleashImport.ImportedSegment imported = new UnleashImport.ImportedSegment(
                    new Segment(key, UnleashImport.shortened(label, ModelValidator.MAX_NAME_LENGTH),
                            UnleashImport.shortened(description, ModelValidator.MAX_DESCRIPTION_LENGTH)),
                    new SegmentConfig(List.of(), List.of(), rules));
            try {
                ModelValidator.validateSegment(imported.segment());
                ModelValidator.validateSegmentConfig(imported.config());
            } catch (InvalidModelException e) {
                throw new InvalidModelException(path, "cannot be imported: segment '" + key + "' would be invalid: "
                        + e.field() + ": " + e.getMessage());
            }
            converted.add(imported);
        }
        return new Converted(converted, keys);
    }
}
