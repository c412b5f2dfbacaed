package dev.darklaunch.sdk.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/** Whatever passes validation survives a JSON round trip unchanged. */
class ModelJsonProperties {
    private static final ObjectMapper JSON = ModelJson.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void validFlagsAndConfigurationsReadBackUnchanged(@ForAll("flagsWithConfigs") Tuple2<Flag, FlagConfig> pair) throws Exception {
        Flag flag = pair.get1();
        FlagConfig config = pair.get2();
        Assume.that(isValid(flag, config));
        Statistics.label("kind").collect(flag.kind());
        Statistics.label("rules").collect(!config.rules().isEmpty());
        Statistics.label("kind").coverage(coverage -> {
            for (FlagKind kind : FlagKind.values()) {
                coverage.check(kind).count(count -> count >= 10);
            }
        });
        Statistics.label("rules").coverage(coverage -> coverage.check(true).percentage(p -> p >= 20));

        assertThat(JSON.readValue(JSON.writeValueAsBytes(flag), Flag.class)).isEqualTo(flag);
        assertThat(JSON.readValue(JSON.writeValueAsBytes(config), FlagConfig.class)).isEqualTo(config);
    }

    @Property(tries = 100)
    void validSegmentConfigurationsReadBackUnchanged(@ForAll("segmentConfigs") SegmentConfig config) throws Exception {
        Assume.that(isValid(config));
        assertThat(JSON.readValue(JSON.writeValueAsBytes(config), SegmentConfig.class)).isEqualTo(config);
    }

    private static boolean isValid(Flag flag, FlagConfig config) {
        try {
            ModelValidator.validateFlag(flag);
            ModelValidator.validateConfig(flag, config);
            return true;
        } catch (InvalidModelException e) {
            return false;
        }
    }

    private static boolean isValid(SegmentConfig config) {
        try {
            ModelValidator.validateSegmentConfig(config);
            return true;
        } catch (InvalidModelException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<Tuple2<Flag, FlagConfig>> flagsWithConfigs() {
        return flags().flatMap(flag -> configs(flag).map(config -> Tuple.of(flag, config)));
    }

    @Provide
    Arbitrary<SegmentConfig> segmentConfigs() {
        Arbitrary<List<String>> keys = keys().list().ofMaxSize(5).uniqueElements();
        Arbitrary<SegmentRule> rule = Combinators.combine(
                        Arbitraries.of("r1", "r2", "r3").injectNull(0.5), clauses(keys(), false).list().ofMinSize(1).ofMaxSize(3))
                .as(SegmentRule::new);
        return Combinators.combine(keys.map(list -> prefixed("in-", list)), keys.map(list -> prefixed("out-", list)),
                        rule.list().ofMaxSize(3))
                .as(SegmentConfig::new);
    }

    private Arbitrary<Flag> flags() {
        Arbitrary<FlagKind> kinds = Arbitraries.of(FlagKind.class);
        return kinds.flatMap(kind -> Combinators.combine(
                keys(), text().filter(name -> !name.isBlank()), text().injectNull(0.5), variations(kind),
                Arbitraries.of("team:web", "checkout", "a/b_c.d-e").list().uniqueElements().ofMaxSize(3),
                text().injectNull(0.5), Arbitraries.of(Lifecycle.class), Arbitraries.of(true, false))
                .as((key, name, description, variations, tags, owner, lifecycle, archived) ->
                        new Flag(key, name, description, kind, variations, tags, owner, lifecycle, archived)));
    }

    private Arbitrary<List<Variation>> variations(FlagKind kind) {
        Arbitrary<String> label = text().injectNull(0.7);
        if (kind == FlagKind.BOOLEAN) {
            return Combinators.combine(Arbitraries.shuffle(true, false), label, label)
                    .as((order, name, description) -> List.of(
                            new Variation(NODES.booleanNode(order.get(0)), name, description),
                            Variation.of(NODES.booleanNode(order.get(1)))));
        }
        Arbitrary<JsonNode> values = switch (kind) {
            case STRING -> text().map(NODES::textNode);
            case NUMBER -> numbers();
            default -> jsonValues(2);
        };
        return Combinators.combine(values, label, label).as(Variation::new).list().ofMinSize(1).ofMaxSize(5);
    }

    private Arbitrary<FlagConfig> configs(Flag flag) {
        int n = flag.variations().size();
        Arbitrary<Integer> index = Arbitraries.integers().between(0, n - 1);
        Arbitrary<List<Target>> targets = Arbitraries.subsetOf(IntStream.range(0, n).boxed().toList())
                .flatMap(indexes -> Combinators.combine(indexes.stream()
                                .map(i -> keys().list().ofMaxSize(4).uniqueElements().map(keys -> new Target(i, prefixed("t" + i + "-", keys))))
                                .toList())
                        .as(ArrayList::new));
        Arbitrary<Rule> rule = Combinators.combine(text().injectNull(0.5), clauses(keys(), true).list().ofMinSize(1).ofMaxSize(3), serves(n))
                .as((description, clauses, serve) -> new Rule(null, description, clauses, serve));
        Arbitrary<List<Rule>> rules = rule.list().ofMaxSize(4).map(list -> IntStream.range(0, list.size())
                .mapToObj(i -> i % 2 == 0 ? withId(list.get(i), "rule-" + i) : list.get(i)).toList());
        Arbitrary<List<Prerequisite>> prerequisites = Combinators.combine(keys(), Arbitraries.integers().between(0, 99))
                .as((key, variation) -> new Prerequisite("pre-" + key, variation))
                .list().ofMaxSize(3).uniqueElements(Prerequisite::flag);
        return Combinators.combine(Arbitraries.of(true, false), index, targets, rules, serves(n), prerequisites)
                .as(FlagConfig::new);
    }

    private Arbitrary<Serve> serves(int variations) {
        Arbitrary<Serve> fixed = Arbitraries.integers().between(0, variations - 1).map(Serve::ofVariation);
        Arbitrary<Serve> rollout = Arbitraries.shuffle(IntStream.range(0, variations).boxed().toList())
                .flatMap(order -> Arbitraries.integers().between(1, order.size())
                        .flatMap(k -> Arbitraries.integers().between(0, Rollout.TOTAL_WEIGHT).list().ofSize(k - 1)
                                .map(cuts -> weighted(order.subList(0, k), cuts))))
                .flatMap(weighted -> Combinators.combine(Arbitraries.of("accountId", "org.id").injectNull(0.5), keys().injectNull(0.5))
                        .as((bucketBy, salt) -> Serve.ofRollout(new Rollout(weighted, bucketBy, salt))));
        return Arbitraries.oneOf(fixed, rollout);
    }

    /** Weights from cut points in [0, TOTAL_WEIGHT]: the gaps between sorted cuts add up to the total. */
    private static List<WeightedVariation> weighted(List<Integer> variations, List<Integer> cuts) {
        List<Integer> points = new ArrayList<>(cuts);
        points.add(0);
        points.add(Rollout.TOTAL_WEIGHT);
        points.sort(null);
        List<WeightedVariation> weighted = new ArrayList<>();
        for (int i = 0; i < variations.size(); i++) {
            weighted.add(new WeightedVariation(variations.get(i), points.get(i + 1) - points.get(i)));
        }
        return weighted;
    }

    private Arbitrary<Clause> clauses(Arbitrary<String> segmentKeys, boolean segmentMatch) {
        List<Operator> ops = new ArrayList<>(List.of(Operator.values()));
        ops.remove(Operator.UNKNOWN);
        if (!segmentMatch) {
            ops.remove(Operator.SEGMENT_MATCH);
        }
        return Arbitraries.of(ops).flatMap(op -> Combinators.combine(
                        Arbitraries.of("key", "email", "country", "app.version", "_internal"),
                        op == Operator.EXISTS ? Arbitraries.just(List.<JsonNode>of()) : clauseValues(op, segmentKeys).list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((attribute, values, negate, caseInsensitive) -> new Clause(attribute, op, values, negate, caseInsensitive)));
    }

    private Arbitrary<JsonNode> clauseValues(Operator op, Arbitrary<String> segmentKeys) {
        return switch (op) {
            case IN -> Arbitraries.oneOf(text().map(NODES::textNode), numbers(), Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false)));
            case STARTS_WITH, ENDS_WITH, CONTAINS -> text().map(NODES::textNode);
            case MATCHES -> Arbitraries.of("^a+$", "(?i)firefox/\\d+", "[^@]+@example\\.com", "x|y|z").map(NODES::textNode);
            case NUMBER_EQ, NUMBER_LT, NUMBER_LTE, NUMBER_GT, NUMBER_GTE -> numbers();
            case SEMVER_EQ, SEMVER_LT, SEMVER_LTE, SEMVER_GT, SEMVER_GTE -> Combinators.combine(
                            Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 20),
                            Arbitraries.of("", "-alpha", "-rc.1", "-beta.11+build.5", "+sha.1"))
                    .as((major, minor, suffix) -> NODES.textNode(major + "." + minor + ".0" + suffix));
            case BEFORE, AFTER -> Arbitraries.longs().between(-5_000_000_000_000L, 5_000_000_000_000L)
                    .flatMap(millis -> Arbitraries.of(NODES.numberNode(millis), NODES.textNode(Instant.ofEpochMilli(millis).toString())));
            case IN_CIDR -> Combinators.combine(Arbitraries.integers().between(0, 255).list().ofSize(4), Arbitraries.integers().between(0, 32))
                    .as((octets, prefix) -> NODES.textNode(octets.get(0) + "." + octets.get(1) + "." + octets.get(2) + "." + octets.get(3) + "/" + prefix));
            case SEGMENT_MATCH -> segmentKeys.map(NODES::textNode);
            case EXISTS, UNKNOWN -> throw new IllegalArgumentException("no values for " + op);
        };
    }

    private Arbitrary<JsonNode> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(19), java.math.BigInteger.TEN.pow(30)).map(NODES::numberNode));
    }

    private Arbitrary<JsonNode> jsonValues(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(text().map(NODES::textNode), numbers(),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> array = jsonValues(depth - 1).list().ofMaxSize(3).map(list -> NODES.arrayNode().addAll(list));
        Arbitrary<JsonNode> object = Combinators.combine(text(), jsonValues(depth - 1)).as(Tuple::of).list().ofMaxSize(3)
                .map(fields -> {
                    var node = NODES.objectNode();
                    fields.forEach(field -> node.set(field.get1(), field.get2()));
                    return node;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(1, array), Tuple.of(1, object));
    }

    private static Arbitrary<String> keys() {
        Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
        Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars("._-").ofMaxLength(12);
        return Combinators.combine(first, rest).as((c, s) -> c + s);
    }

    /** Free text, including non-ASCII, quotes, escapes, emoji and (rarely) a NUL that validation rejects. */
    private static Arbitrary<String> text() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').withChars("éü€✓\u00a0\n\t\"\\").ofMaxLength(20);
        return Arbitraries.frequencyOf(Tuple.of(20, plain), Tuple.of(1, Arbitraries.of("😀 emoji", "nul\u0000inside", "")));
    }

    private static List<String> prefixed(String prefix, List<String> keys) {
        return keys.stream().map(key -> prefix + key).toList();
    }

    private static Rule withId(Rule rule, String id) {
        return new Rule(id, rule.description(), rule.clauses(), rule.serve());
    }
}
