package dev.darklaunch.server.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.internal.evaluation.Explanation;
import dev.darklaunch.server.store.Json;

import java.util.List;

/**
 * The evaluator's steps as JSON: each step's fields, with {@code step} naming its kind ({@code off},
 * {@code prerequisite}, {@code targets}, {@code rule}, {@code fallthrough}) and absent facts left out
 * (a context value that is absent means the context lacks the attribute).
 */
final class ExplanationJson {

    private static final ObjectMapper MAPPER = Json.mapper().copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ExplanationJson() {
    }

    static ArrayNode of(List<Explanation.Step> steps) {
        ArrayNode json = MAPPER.createArrayNode();
        for (Explanation.Step step : steps) {
            ObjectNode node = json.addObject();
            node.put("step", kind(step));
            node.setAll((ObjectNode) MAPPER.valueToTree(step));
        }
        return json;
    }

    private static String kind(Explanation.Step step) {
        if (step instanceof Explanation.Off) {
            return "off";
        }
        if (step instanceof Explanation.PrerequisiteChecked) {
            return "prerequisite";
        }
        if (step instanceof Explanation.TargetChecked) {
            return "targets";
        }
        if (step instanceof Explanation.RuleTried) {
            return "rule";
        }
        return "fallthrough";
    }
}
