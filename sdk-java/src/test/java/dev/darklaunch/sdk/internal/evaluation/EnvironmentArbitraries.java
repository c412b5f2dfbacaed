package dev.darklaunch.sdk.internal.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.Lifecycle;
import dev.darklaunch.sdk.internal.model.ModelJson;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.sdk.internal.model.SegmentRule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.Target;
import dev.darklaunch.sdk.internal.model.Variation;
import dev.darklaunch.sdk.internal.model.WeightedVariation;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for whole environments (flags with configurations, segments) and for contexts. Clause
 * values and attribute values are drawn from overlapping pools so that rules, segments and targets
 * do match some of the time; a few generated values are invalid, and callers drop what
 * {@link ModelValidator} rejects ({@link #validOnly}). Ideas taken from {@code ModelJsonProperties}.
 */
final class EnvironmentArbitraries {

    static final List<String> FLAG_KEYS = List.of("f0", "f1", "f2", "f3");
    private static final List<String> SEGMENT_KEYS = List.of("s0", "s1", "s2");
    private static final List<String> ATTRIBUTES = List.of("email", "country", "plan", "version", "ip", "created", "age",
            "beta", "tags", "accountId", "_x.y-z");
    private static final List<String> CONTEXT_KEYS = List.of("u0", "u1", "u2", "t0-u0", "t1-u1", "in-u0", "out-u1", "", "ü😀");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EnvironmentArbitraries() {
    }

    /** 1 to 4 flags (keys from {@link #FLAG_KEYS}, prerequisites among them, cycles possible) and 0 to 3 segments. */
    static Arbitrary<EnvironmentData> environments() {
        Arbitrary<List<EnvironmentFlag>> flags = Arbitraries.integers().between(1, FLAG_KEYS.size())
                .flatMap(n -> Combinators.combine(FLAG_KEYS.subList(0, n).stream().map(EnvironmentArbitraries::flag).toList())
                        .as(ArrayList::new));
        Arbitrary<List<EnvironmentSegment>> segments = Arbitraries.integers().between(0, SEGMENT_KEYS.size())
                .flatMap(n -> Combinators.combine(SEGMENT_KEYS.subList(0, n).stream()
                                .map(key -> segmentConfig().map(config -> new EnvironmentSegment(key, config))).toList())
                        .as(ArrayList::new));
        return Combinators.combine(Arbitraries.longs().between(0, 1_000), flags, segments).as(EnvironmentData::new);
    }

    /**
     * The content of one patch, as a server could send it: 0 to 2 flags (new, changed or, rarely,
     * re-sent unchanged) and segments, and 0 to 2 deleted keys of each, existing or not.
     */
    record Change(List<EnvironmentFlag> flags, List<EnvironmentSegment> segments, List<String> deletedFlags,
                  List<String> deletedSegments, boolean resendOne) {

        /** This change as the patch from {@code data}'s revision to a later one. */
        EnvironmentPatch patchTo(EnvironmentData data, long steps) {
            List<EnvironmentFlag> sent = new ArrayList<>(flags);
            if (resendOne && !data.flags().isEmpty()) {
                sent.add(0, data.flags().get(0));
            }
            return new EnvironmentPatch(data.revision(), data.revision() + steps, sent, segments, deletedFlags, deletedSegments);
        }
    }

    static Arbitrary<Change> changes() {
        Arbitrary<List<EnvironmentFlag>> flags = Arbitraries.subsetOf(FLAG_KEYS).ofMaxSize(2)
                .flatMap(keys -> Combinators.combine(keys.stream().sorted().map(EnvironmentArbitraries::flag).toList()).as(ArrayList::new));
        Arbitrary<List<EnvironmentSegment>> segments = Arbitraries.subsetOf(SEGMENT_KEYS).ofMaxSize(2)
                .flatMap(keys -> Combinators.combine(keys.stream().sorted()
                        .map(key -> segmentConfig().map(config -> new EnvironmentSegment(key, config))).toList()).as(ArrayList::new));
        List<String> flagKeys = new ArrayList<>(FLAG_KEYS);
        flagKeys.add("missing");
        List<String> segmentKeys = new ArrayList<>(SEGMENT_KEYS);
        segmentKeys.add("s-missing");
        return Combinators.combine(flags, segments,
                        Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(List.<String>of())),
                                Tuple.of(1, Arbitraries.of(flagKeys).list().ofMaxSize(2))),
                        Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(List.<String>of())),
                                Tuple.of(1, Arbitraries.of(segmentKeys).list().ofMaxSize(2))),
                        Arbitraries.of(true, false, false, false))
                .as(Change::new);
    }

    /** The data without the flags and segments the validator rejects (what a server could have sent). */
    static EnvironmentData validOnly(EnvironmentData data) {
        List<EnvironmentFlag> flags = data.flags().stream().filter(f -> valid(() -> {
            ModelValidator.validateFlag(f.flag());
            ModelValidator.validateConfig(f.flag(), f.config());
        })).toList();
        List<EnvironmentSegment> segments = data.segments().stream()
                .filter(s -> valid(() -> ModelValidator.validateSegmentConfig(s.config()))).toList();
        return new EnvironmentData(data.revision(), flags, segments);
    }

    private static boolean valid(Runnable validation) {
        try {
            validation.run();
            return true;
        } catch (InvalidModelException e) {
            return false;
        }
    }

    static Arbitrary<EnvironmentFlag> flag(String key) {
        return Arbitraries.of(FlagKind.class)
                .flatMap(kind -> variations(kind).map(variations ->
                        new Flag(key, key, null, kind, variations, List.of(), null, Lifecycle.TEMPORARY, false)))
                .flatMap(flag -> config(flag).map(config -> new EnvironmentFlag(flag, config)));
    }

    private static Arbitrary<List<Variation>> variations(FlagKind kind) {
        return switch (kind) {
            case BOOLEAN -> Arbitraries.shuffle(true, false).map(order -> order.stream().map(b -> Variation.of(NODES.booleanNode(b))).toList());
            case STRING -> text().list().ofMinSize(1).ofMaxSize(4).uniqueElements().map(values -> values.stream()
                    .map(v -> Variation.of(NODES.textNode(v))).toList());
            case NUMBER -> Arbitraries.integers().between(-1000, 1000).list().ofMinSize(1).ofMaxSize(4).uniqueElements()
                    .map(values -> values.stream().map(v -> Variation.of(v % 3 == 0 ? NODES.numberNode(v / 4.0) : NODES.numberNode(v))).toList());
            case JSON -> Arbitraries.of(json("{\"a\":1}"), json("[1,\"x\",null]"), json("\"text\""), json("3.5"), json("false"),
                            json("{\"nested\":{\"list\":[{}]}}"))
                    .list().ofMinSize(1).ofMaxSize(4).uniqueElements().map(values -> values.stream().map(Variation::of).toList());
        };
    }

    private static Arbitrary<FlagConfig> config(Flag flag) {
        int n = flag.variations().size();
        Arbitrary<List<Target>> targets = Arbitraries.subsetOf(IntStream.range(0, n).boxed().toList())
                .flatMap(indexes -> Combinators.combine(indexes.stream()
                                .map(i -> Arbitraries.of("u0", "u1", "u2").list().ofMaxSize(2).uniqueElements()
                                        .map(keys -> new Target(i, keys.stream().map(k -> "t" + i + "-" + k).toList())))
                                .toList())
                        .as(ArrayList::new));
        Arbitrary<Rule> rule = Combinators.combine(Arbitraries.of("r-a", "r-b", "r-c", "r-d").injectNull(0.4),
                        clause(true).list().ofMinSize(1).ofMaxSize(3), serve(n))
                .as((id, clauses, serve) -> new Rule(id, null, clauses, serve));
        Arbitrary<List<Prerequisite>> prerequisites = Combinators.combine(Arbitraries.of(FLAG_KEYS.get(0), FLAG_KEYS.get(1),
                        FLAG_KEYS.get(2), FLAG_KEYS.get(3), "missing"), Arbitraries.integers().between(0, 2))
                .as(Prerequisite::new)
                .filter(p -> !p.flag().equals(flag.key()))
                .list().ofMaxSize(2).uniqueElements(Prerequisite::flag);
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, n - 1), targets,
                        rule.list().ofMaxSize(4).uniqueElements(r -> r.id() == null ? new Object() : r.id()), serve(n),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.<Prerequisite>of())), Tuple.of(1, prerequisites)))
                .as(FlagConfig::new);
    }

    private static Arbitrary<Serve> serve(int variations) {
        Arbitrary<Serve> fixed = Arbitraries.integers().between(0, variations - 1).map(Serve::ofVariation);
        Arbitrary<Serve> rollout = rollout(variations).map(Serve::ofRollout);
        return Arbitraries.oneOf(fixed, rollout);
    }

    /** A valid rollout: some of the variations, weights adding up to the total, any bucketBy, salt and seed. */
    static Arbitrary<Rollout> rollout(int variations) {
        Arbitrary<Integer> totals = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Rollout.TOTAL_WEIGHT)),
                Tuple.of(1, Arbitraries.of(1, 100, 1000)), Tuple.of(1, Arbitraries.integers().between(1, Rollout.TOTAL_WEIGHT)));
        return Combinators.combine(Arbitraries.shuffle(IntStream.range(0, variations).boxed().toList()), totals)
                .as(Tuple::of)
                .flatMap(orderAndTotal -> Arbitraries.integers().between(1, variations)
                        .flatMap(k -> Arbitraries.integers().between(0, orderAndTotal.get2()).list().ofSize(k - 1)
                                .map(cuts -> weighted(orderAndTotal.get1().subList(0, k), cuts, orderAndTotal.get2())))
                        .flatMap(weighted -> Combinators.combine(
                                        Arbitraries.of("accountId", "age", "tags", "missing").injectNull(0.5),
                                        Arbitraries.of("salt", "ü-salt-😀", "f0").injectNull(0.5),
                                        Arbitraries.integers().injectNull(0.5))
                                .as((bucketBy, salt, seed) -> new Rollout(weighted, bucketBy, salt, seed,
                                        orderAndTotal.get2() == Rollout.TOTAL_WEIGHT ? null : orderAndTotal.get2()))));
    }

    /** Weights from cut points in [0, total]: the gaps between sorted cuts add up to the total. */
    private static List<WeightedVariation> weighted(List<Integer> variations, List<Integer> cuts, int total) {
        List<Integer> points = new ArrayList<>(cuts);
        points.add(0);
        points.add(total);
        points.sort(null);
        List<WeightedVariation> weighted = new ArrayList<>();
        for (int i = 0; i < variations.size(); i++) {
            weighted.add(new WeightedVariation(variations.get(i), points.get(i + 1) - points.get(i)));
        }
        return weighted;
    }

    private static Arbitrary<SegmentConfig> segmentConfig() {
        Arbitrary<SegmentRule> rule = clause(false).list().ofMinSize(1).ofMaxSize(3).map(clauses -> new SegmentRule(null, clauses));
        return Combinators.combine(Arbitraries.of("in-u0", "in-u1", "u0").list().ofMaxSize(2).uniqueElements(),
                        Arbitraries.of("out-u0", "out-u1", "u1").list().ofMaxSize(2).uniqueElements(), rule.list().ofMaxSize(3))
                .as(SegmentConfig::new);
    }

    private static Arbitrary<Clause> clause(boolean inFlag) {
        List<Operator> ops = new ArrayList<>(List.of(Operator.values()));
        ops.remove(Operator.UNKNOWN);
        if (!inFlag) {
            ops.remove(Operator.SEGMENT_MATCH);
        }
        Arbitrary<String> attributes = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(ATTRIBUTES)), Tuple.of(1, Arbitraries.just("key")));
        return Arbitraries.of(ops).flatMap(op -> Combinators.combine(attributes,
                        op == Operator.EXISTS ? Arbitraries.just(List.<JsonNode>of()) : clauseValue(op).list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((attribute, values, negate, caseInsensitive) -> new Clause(attribute, op, values, negate, caseInsensitive)));
    }

    private static Arbitrary<JsonNode> clauseValue(Operator op) {
        return switch (op) {
            case IN -> Arbitraries.oneOf(text().map(NODES::textNode), number(), Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false)));
            case STARTS_WITH, ENDS_WITH, CONTAINS -> text().map(NODES::textNode);
            case MATCHES -> Arbitraries.of("^a+$", "(?i)firefox/\\d+", "[^@]+@example\\.com", "x|y|z", "", "ü+", "(unclosed")
                    .map(NODES::textNode);
            case NUMBER_EQ, NUMBER_LT, NUMBER_LTE, NUMBER_GT, NUMBER_GTE -> number();
            case SEMVER_EQ, SEMVER_LT, SEMVER_LTE, SEMVER_GT, SEMVER_GTE -> version().map(NODES::textNode);
            case BEFORE, AFTER -> Arbitraries.longs().between(-5_000_000_000_000L, 5_000_000_000_000L)
                    .flatMap(millis -> Arbitraries.of(NODES.numberNode(millis), NODES.textNode(Instant.ofEpochMilli(millis).toString())));
            case IN_CIDR -> Arbitraries.of("10.0.0.0/8", "0.0.0.0/0", "192.168.1.1", "2001:db8::/32", "::/0", "::ffff:10.0.0.0/104")
                    .map(NODES::textNode);
            case SEGMENT_MATCH -> Arbitraries.of("s0", "s1", "s2", "s-missing").map(NODES::textNode);
            case EXISTS, UNKNOWN -> throw new IllegalArgumentException("no values for " + op);
        };
    }

    /**
     * Contexts: any key (empty, unicode), 0 to 8 attributes of every type, lists included. Attribute names
     * never spell "key": the context's key is set above, and Context refuses a key that is not text.
     */
    static Arbitrary<Context> contexts() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(CONTEXT_KEYS), Arbitraries.strings().all().ofMaxLength(12));
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(ATTRIBUTES),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5).filter(name -> !name.equals(Context.KEY)));
        Arbitrary<Map<String, Object>> attributes = Arbitraries.maps(names, attributeValue()).ofMaxSize(8);
        return Combinators.combine(keys, attributes).as((key, map) -> {
            Context context = Context.of(key);
            for (Map.Entry<String, Object> attribute : map.entrySet()) {
                context = EvaluationFixtures.with(context, attribute.getKey(), attribute.getValue());
            }
            return context;
        });
    }

    private static Arbitrary<Object> attributeValue() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                text().map(Object.class::cast),
                Arbitraries.of("NO", "pro", "a@example.com", "1.2.3", "2.0.0-rc.1", "10.1.2.3", "2001:db8::1", "::ffff:10.1.2.3",
                        "2025-05-01T00:00:00Z", "42", "-0", "1e3", "aaa", "Firefox/123").map(Object.class::cast),
                Arbitraries.strings().all().ofMaxLength(10).map(Object.class::cast),
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.doubles().filter(Double::isFinite).map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast));
        return Arbitraries.frequencyOf(Tuple.of(5, scalar), Tuple.of(1, scalar.list().ofMaxSize(3).map(Object.class::cast)));
    }

    private static Arbitrary<String> version() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 12),
                        Arbitraries.of("", "-alpha", "-rc.1", "-beta.11+build.5", "+sha.1", "-0.3.7"))
                .as((major, minor, suffix) -> major + "." + minor + ".0" + suffix);
    }

    private static Arbitrary<JsonNode> number() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-100, 100).map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode), Arbitraries.doubles().map(NODES::numberNode));
    }

    /** Short free text: ASCII, accents, emoji, the empty string and (rarely) a NUL that validation rejects. */
    private static Arbitrary<String> text() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').withChars("éü€\u00a0").ofMaxLength(8);
        return Arbitraries.frequencyOf(Tuple.of(10, plain), Tuple.of(1, Arbitraries.of("😀", "", "NO", "pro", "nul\u0000")));
    }

    private static JsonNode json(String text) {
        try {
            return ModelJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
