package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules every flag, flag configuration and segment must follow before the server stores it.
 * The SDK does not validate what it receives (it must tolerate newer servers), but the evaluator
 * may rely on these rules for anything the server sent.
 *
 * <p>Each method throws {@link InvalidModelException} for the first problem it finds, naming the
 * offending field by its JSON path and saying what is allowed. Rules that need other flags or
 * segments (a prerequisite's flag exists, prerequisites form no cycle, a segment exists) are
 * checked by the server, not here. No text anywhere, not even inside a JSON value, may contain NUL
 * (U+0000) or an unpaired UTF-16 surrogate: neither can be stored.
 *
 * <p>Clauses, in flag rules and segment rules alike: the attribute is 1 to 100 ASCII letters,
 * digits, {@code _ . -}, starting with a letter or {@code _} ({@code key} is the context key); the
 * operator is known (never {@link Operator#UNKNOWN}); there are 1 to 10 000 values ({@code exists}
 * takes none), whose strings have at most 500 000 characters together. Values by operator:
 * <ul>
 *   <li>{@code in}: strings, finite numbers or booleans;
 *   <li>{@code startsWith}, {@code endsWith}, {@code contains}: strings;
 *   <li>{@code matches}: RE2 regular expressions ({@link com.google.re2j.Pattern}, linear time) of
 *       at most 1000 characters that compile to at most {@value #MAX_PATTERN_SIZE} instructions
 *       (checked before compiling, see {@link PatternSize});
 *   <li>{@code numberEq} … {@code numberGte}: finite numbers;
 *   <li>{@code semverEq} … {@code semverGte}: strict SemVer 2.0.0 strings, see {@link Semver};
 *   <li>{@code before}, {@code after}: date-times as {@link Timestamps} reads them;
 *   <li>{@code inCidr}: literal address ranges as {@link Cidr} reads them;
 *   <li>{@code segmentMatch}: segment keys (not allowed in segment rules: segments do not nest).
 * </ul>
 */
public final class ModelValidator {
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_DESCRIPTION_LENGTH = 2_000;
    public static final int MAX_VARIATIONS = 100;
    public static final int MAX_TAGS = 50;
    public static final int MAX_OWNER_LENGTH = 200;
    public static final int MAX_TARGETS = 100;
    /** The most context keys all targets of one configuration may list together. */
    public static final int MAX_TARGET_KEYS = 10_000;
    /** The longest context key a target or segment may list. */
    public static final int MAX_CONTEXT_KEY_LENGTH = 256;
    public static final int MAX_RULES = 500;
    public static final int MAX_CLAUSES = 50;
    public static final int MAX_PREREQUISITES = 50;
    public static final int MAX_ROLLOUT_VARIATIONS = 100;
    public static final int MAX_SALT_LENGTH = 200;
    /** The most keys a segment may list in {@code included}, and again in {@code excluded}. */
    public static final int MAX_SEGMENT_KEYS = 10_000;
    public static final int MAX_CLAUSE_VALUES = 10_000;
    /** The most characters the string values of one clause may have together. */
    public static final int MAX_CLAUSE_VALUE_CHARS = 500_000;
    public static final int MAX_REGEX_LENGTH = 1_000;
    /**
     * The largest a regular expression may become once compiled, in program instructions with
     * counted repetitions expanded, as {@link PatternSize} estimates it from the text (never below
     * what RE2/J builds; {@code [0-9]{1,1000}} compiles to about 2 000 and is counted 3 000),
     * {@code (a{1000}){1000}} a million.
     */
    public static final int MAX_PATTERN_SIZE = 10_000;

    private ModelValidator() {}

    /**
     * Checks a key of a flag, segment, project or environment: 1 to 100 ASCII letters, digits,
     * {@code .}, {@code _} or {@code -}, starting with a letter or digit.
     *
     * @param field the path to report, e.g. {@code "key"}
     */
    public static void validateKey(String field, String key) {
        if (key == null) {
            throw new InvalidModelException(field, "is required: a key is " + Syntax.KEY.rule());
        }
        check(field, Syntax.KEY.problem(key));
    }

    /**
     * Checks a flag: key; name (non-blank, at most 200 characters); description (at most 2000);
     * kind; variations (1 to 100 distinct values of the flag's kind, exactly {@code true} and
     * {@code false} for a boolean flag); tags (at most 50 distinct, each 1 to 64 ASCII letters,
     * digits, {@code : . _ / -}, starting with a letter or digit); owner (at most 200 characters);
     * variation names (at most 200) and descriptions (at most 2000).
     */
    public static void validateFlag(Flag flag) {
        if (flag == null) {
            throw new InvalidModelException("", "a flag is required, got null");
        }
        validateKey("key", flag.key());
        checkName("name", flag.name());
        checkText("description", flag.description(), MAX_DESCRIPTION_LENGTH);
        if (flag.kind() == null) {
            throw new InvalidModelException("kind", "is required: one of boolean, string, number, json");
        }
        checkVariations(flag.kind(), flag.variations());
        checkTags(flag.tags());
        checkText("owner", flag.owner(), MAX_OWNER_LENGTH);
    }

    /** Checks a segment: key, name (non-blank, at most 200 characters), description (at most 2000). */
    public static void validateSegment(Segment segment) {
        if (segment == null) {
            throw new InvalidModelException("", "a segment is required, got null");
        }
        validateKey("key", segment.key());
        checkName("name", segment.name());
        checkText("description", segment.description(), MAX_DESCRIPTION_LENGTH);
    }

    /**
     * Checks a flag's configuration against that (valid) flag: every variation index in range;
     * targets (at most 100, one per variation, at most 10 000 keys in total, each key non-empty,
     * at most 256 characters, targeted once); rules (at most 500, each with 1 to 50 valid clauses,
     * a valid serve and an optional id unique among the rules); a valid fallthrough; prerequisites
     * (at most 50, distinct valid flag keys other than the flag's own). A serve names exactly one
     * of a variation and a rollout; a rollout has 1 to 100 distinct variations whose weights add
     * up to {@link Rollout#TOTAL_WEIGHT}.
     */
    public static void validateConfig(Flag flag, FlagConfig config) {
        if (flag == null) {
            throw new IllegalArgumentException("the flag is required to validate its configuration");
        }
        if (config == null) {
            throw new InvalidModelException("", "a flag configuration is required, got null");
        }
        ConfigValidator.validate(flag, config);
        // the segments' cost and the prerequisites' are added where the environment is known (EnvironmentCheck)
        long cost = EvaluationCost.ofRules(config.rules(), segment -> 1);
        if (cost > EvaluationCost.MAX_EVALUATION_COST) {
            throw new InvalidModelException("rules", "one evaluation of these rules would cost " + cost
                    + " units (clause values and regular expression sizes); at most " + EvaluationCost.MAX_EVALUATION_COST + " are allowed");
        }
    }

    /**
     * Checks a segment's configuration: included and excluded hold at most 10 000 keys each, each
     * non-empty, at most 256 characters, listed once and not in both lists; at most 500 rules, each
     * with 1 to 50 valid clauses that do not use {@code segmentMatch}, and an optional unique id.
     */
    public static void validateSegmentConfig(SegmentConfig config) {
        if (config == null) {
            throw new InvalidModelException("", "a segment configuration is required, got null");
        }
        ConfigValidator.validateSegment(config);
        long cost = EvaluationCost.ofSegment(config);
        if (cost > EvaluationCost.MAX_EVALUATION_COST) {
            throw new InvalidModelException("rules", "testing a context against these rules would cost " + cost
                    + " units (clause values and regular expression sizes); at most " + EvaluationCost.MAX_EVALUATION_COST + " are allowed");
        }
    }

    /**
     * Whether {@code value} is a valid variation value of a {@code kind} flag: a boolean, a string,
     * a finite number, or any JSON value but null.
     */
    public static boolean fitsKind(FlagKind kind, JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        return switch (kind) {
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber() && Double.isFinite(value.doubleValue());
            case JSON -> true;
        };
    }

    static void check(String field, String problem) {
        if (problem != null) {
            throw new InvalidModelException(field, problem);
        }
    }

    /** An optional free text: at most {@code maxLength} characters, storable (see {@link #textProblem}). */
    static void checkText(String field, String text, int maxLength) {
        if (text == null) {
            return;
        }
        if (text.length() > maxLength) {
            throw new InvalidModelException(field, "is " + text.length() + " characters long; at most " + maxLength + " are allowed");
        }
        check(field, textProblem(text));
    }

    /**
     * What makes {@code text} unstorable, or {@code null}: a NUL character (PostgreSQL text cannot
     * hold it) or an unpaired UTF-16 surrogate (it has no UTF-8 encoding).
     */
    static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "contains a NUL character (U+0000) at index " + i + ", which is not allowed in any text";
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    return "contains an unpaired UTF-16 surrogate (" + Syntax.describe(c) + ") at index " + i + ", which is not valid Unicode";
                }
                i++;
            }
        }
        return null;
    }

    /** What is wrong with a context key in a target or segment list, or {@code null}. */
    static String contextKeyProblem(String key) {
        if (key.isEmpty()) {
            return "must not be empty; context keys are 1 to " + MAX_CONTEXT_KEY_LENGTH + " characters";
        }
        if (key.length() > MAX_CONTEXT_KEY_LENGTH) {
            return "is " + key.length() + " characters long; context keys have at most " + MAX_CONTEXT_KEY_LENGTH;
        }
        return textProblem(key);
    }

    /** Checks that {@code list} has {@code min} to {@code max} elements; {@code noun} names one. */
    static void checkCount(String field, List<?> list, int min, int max, String noun) {
        if (list.size() < min) {
            throw new InvalidModelException(field, "needs at least " + min + " " + plural(noun, min) + ", got " + list.size());
        }
        if (list.size() > max) {
            throw new InvalidModelException(field, "has " + list.size() + " " + plural(noun, list.size())
                    + "; at most " + max + " are allowed");
        }
    }

    private static String plural(String noun, int count) {
        return count == 1 ? noun : noun + "s";
    }

    /** "a string", "a number (42)", … for messages about a value of the wrong type. */
    static String describe(JsonNode value) {
        String shown = value.isContainerNode() ? "" : " (" + shortened(value.toString()) + ")";
        return switch (value.getNodeType()) {
            case STRING -> "a string" + shown;
            case NUMBER -> "a number" + shown;
            case BOOLEAN -> "a boolean" + shown;
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
        };
    }

    /** What is wrong with a number that must be finite, or {@code null}. */
    static String finiteProblem(JsonNode number) {
        return Double.isFinite(number.doubleValue()) ? null : "is not a finite number: " + shortened(number.toString())
                + "; numbers must be finite and within the range of a 64-bit floating-point value";
    }

    private static String shortened(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    private static void checkName(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidModelException(field, "is required: a name of 1 to " + MAX_NAME_LENGTH + " characters, not only spaces");
        }
        checkText(field, name, MAX_NAME_LENGTH);
    }

    private static void checkVariations(FlagKind kind, List<Variation> variations) {
        if (kind == FlagKind.BOOLEAN && variations.size() != 2) {
            throw new InvalidModelException("variations", "a boolean flag has exactly 2 variations, true and false; got " + variations.size());
        }
        checkCount("variations", variations, 1, MAX_VARIATIONS, "variation");
        Map<Object, Integer> seen = new HashMap<>();
        for (int i = 0; i < variations.size(); i++) {
            Variation variation = variations.get(i);
            String field = "variations[" + i + "]";
            check(field + ".value", valueProblem(kind, variation.value()));
            checkText(field + ".name", variation.name(), MAX_NAME_LENGTH);
            checkText(field + ".description", variation.description(), MAX_DESCRIPTION_LENGTH);
            Integer earlier = seen.putIfAbsent(distinctionKey(kind, variation.value()), i);
            if (earlier != null) {
                throw new InvalidModelException(field + ".value", "is the same as variations[" + earlier + "].value; variation values must be distinct"
                        + (kind == FlagKind.BOOLEAN ? " (one true, one false)" : ""));
            }
        }
    }

    private static String valueProblem(FlagKind kind, JsonNode value) {
        if (value.isNull()) {
            return "is required; a " + kind.jsonName() + " flag's variation values are " + expected(kind);
        }
        boolean typeMatches = switch (kind) {
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber();
            case JSON -> true;
        };
        if (!typeMatches) {
            return "must be " + expected(kind) + " for a " + kind.jsonName() + " flag, got " + describe(value);
        }
        return jsonProblem(value);
    }

    private static String expected(FlagKind kind) {
        return switch (kind) {
            case BOOLEAN -> "true or false";
            case STRING -> "JSON strings";
            case NUMBER -> "finite JSON numbers";
            case JSON -> "any JSON value except null";
        };
    }

    /** Unstorable text (see {@link #textProblem}) or a non-finite number anywhere in a JSON value, or {@code null}. */
    private static String jsonProblem(JsonNode value) {
        if (value.isTextual()) {
            return textProblem(value.textValue());
        }
        if (value.isNumber()) {
            return finiteProblem(value);
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String problem = textProblem(field.getKey());
            if (problem != null) {
                return "has a property name that " + problem;
            }
            problem = jsonProblem(field.getValue());
            if (problem != null) {
                return problem;
            }
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                String problem = jsonProblem(element);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** Equal for values that are the same variation: numbers compare by value, so 1 and 1.0 clash. */
    private static Object distinctionKey(FlagKind kind, JsonNode value) {
        return kind == FlagKind.NUMBER ? value.decimalValue().stripTrailingZeros() : value;
    }

    private static void checkTags(List<String> tags) {
        checkCount("tags", tags, 0, MAX_TAGS, "tag");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            String field = "tags[" + i + "]";
            check(field, Syntax.TAG.problem(tags.get(i)));
            Integer earlier = seen.putIfAbsent(tags.get(i), i);
            if (earlier != null) {
                throw new InvalidModelException(field, Syntax.quote(tags.get(i)) + " is listed twice (also tags[" + earlier + "])");
            }
        }
    }
}
