package dev.darklaunch.openfeature.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates OpenFeature's fixture {@code test-flags.json} into Darklaunch flag data (the SDK
 * feed's snapshot JSON), by a small translator rather than by hand, so the fixture stays the one
 * source: variants become named variations (in the fixture's order), {@code defaultVariant} the
 * fallthrough, {@code disabled} an off flag without off variation (the caller's default is
 * served), {@code flagMetadata} the flag's metadata, and {@code contextEvaluator} one rule.
 *
 * <p>The CEL expressions the fixture uses have one shape, {@code <conditions> ? '<variant>' : ''},
 * where the conditions are joined by {@code &&} and each is {@code attr == 'text'},
 * {@code attr <op> number} or {@code !attr}; the translator reads exactly that and refuses
 * anything else, so a new shape in a newer fixture fails loudly instead of being misread.
 * {@code !attr} becomes "attr is false": CEL fails on a missing attribute, and the fixture's
 * evaluator then serves the default variant, which is what a Darklaunch rule that does not match
 * does too.
 *
 * <p>Two fixture flags have no default variant ({@code null-default-flag},
 * {@code undefined-default-flag}); no scenario of the files this suite runs uses them, and a
 * Darklaunch flag always has a fallthrough, so they are left out.
 */
final class SpecFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXPRESSION = Pattern.compile("^(.+)\\?\\s*'([^']*)'\\s*:\\s*''\\s*$");
    private static final Pattern TEXT_EQUALS = Pattern.compile("^(\\w+)\\s*==\\s*'([^']*)'$");
    private static final Pattern NUMBER_COMPARE = Pattern.compile("^(\\w+)\\s*(==|>=|<=|>|<)\\s*(-?[0-9.]+)$");
    private static final Pattern NOT = Pattern.compile("^!(\\w+)$");
    private static final Map<String, String> NUMBER_OPERATORS = Map.of(
            "==", "numberEq", ">", "numberGt", ">=", "numberGte", "<", "numberLt", "<=", "numberLte");

    private SpecFixture() {
    }

    /** The fixture's flags as Darklaunch flag data. */
    static String darklaunchData(Path fixture) throws IOException {
        JsonNode flags = JSON.readTree(Files.readString(fixture));
        ArrayNode translated = JsonNodeFactory.instance.arrayNode();
        flags.properties().forEach(entry -> {
            JsonNode flag = entry.getValue();
            if (flag.path("defaultVariant").isTextual()) {
                translated.add(flag(entry.getKey(), flag));
            }
        });
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("revision", 1);
        data.set("flags", translated);
        return JSON.writeValueAsString(data);
    }

    private static ObjectNode flag(String key, JsonNode fixture) {
        List<String> variants = new ArrayList<>();
        ArrayNode variations = JsonNodeFactory.instance.arrayNode();
        fixture.path("variants").properties().forEach(variant -> {
            variants.add(variant.getKey());
            variations.addObject().put("name", variant.getKey()).set("value", variant.getValue());
        });
        ObjectNode definition = JsonNodeFactory.instance.objectNode();
        definition.put("key", key).put("name", key).put("kind", kind(fixture.path("variants")));
        definition.set("variations", variations);

        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("on", !fixture.path("disabled").asBoolean(false));
        config.putNull("offVariation"); // disabled flags serve the caller's default, as OpenFeature expects
        config.putObject("fallthrough").put("variation", variants.indexOf(fixture.path("defaultVariant").textValue()));
        if (fixture.path("flagMetadata").isObject()) {
            config.set("metadata", fixture.path("flagMetadata"));
        }
        if (fixture.path("contextEvaluator").isTextual()) {
            config.putArray("rules").add(rule(fixture.path("contextEvaluator").textValue(), variants));
        }
        ObjectNode flag = JsonNodeFactory.instance.objectNode();
        flag.set("flag", definition);
        flag.set("config", config);
        return flag;
    }

    private static String kind(JsonNode variants) {
        List<JsonNode> values = new ArrayList<>();
        variants.forEach(values::add);
        if (values.stream().allMatch(JsonNode::isBoolean)) {
            return "boolean";
        }
        if (values.stream().allMatch(JsonNode::isTextual)) {
            return "string";
        }
        return values.stream().allMatch(JsonNode::isNumber) ? "number" : "json";
    }

    static ObjectNode rule(String expression, List<String> variants) {
        Matcher whole = EXPRESSION.matcher(expression.trim());
        if (!whole.matches()) {
            throw new IllegalArgumentException("unsupported contextEvaluator shape: " + expression);
        }
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        ArrayNode clauses = rule.putArray("clauses");
        for (String condition : whole.group(1).split("&&")) {
            clauses.add(clause(condition.trim(), expression));
        }
        int variation = variants.indexOf(whole.group(2));
        if (variation < 0) {
            throw new IllegalArgumentException("no variant " + whole.group(2) + " in " + expression);
        }
        rule.putObject("serve").put("variation", variation);
        return rule;
    }

    private static ObjectNode clause(String condition, String expression) {
        ObjectNode clause = JsonNodeFactory.instance.objectNode();
        Matcher m;
        if ((m = TEXT_EQUALS.matcher(condition)).matches()) {
            clause.put("attribute", m.group(1)).put("op", "in").putArray("values").add(m.group(2));
        } else if ((m = NUMBER_COMPARE.matcher(condition)).matches()) {
            clause.put("attribute", m.group(1)).put("op", NUMBER_OPERATORS.get(m.group(2)))
                    .putArray("values").add(JSON.valueToTree(Double.parseDouble(m.group(3))));
        } else if ((m = NOT.matcher(condition)).matches()) {
            clause.put("attribute", m.group(1)).put("op", "in").putArray("values").add(false);
        } else {
            throw new IllegalArgumentException("unsupported condition " + condition + " in " + expression);
        }
        return clause;
    }
}
