package dev.darklaunch.sdk.internal.evaluation;

import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.FALSE;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.TRUE;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.caseInsensitive;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.clause;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.context;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.evaluate;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.flag;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.negated;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.onWith;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.rule;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.snapshot;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.values;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.with;
import static dev.darklaunch.sdk.internal.model.Operator.AFTER;
import static dev.darklaunch.sdk.internal.model.Operator.BEFORE;
import static dev.darklaunch.sdk.internal.model.Operator.CONTAINS;
import static dev.darklaunch.sdk.internal.model.Operator.ENDS_WITH;
import static dev.darklaunch.sdk.internal.model.Operator.EXISTS;
import static dev.darklaunch.sdk.internal.model.Operator.IN;
import static dev.darklaunch.sdk.internal.model.Operator.IN_CIDR;
import static dev.darklaunch.sdk.internal.model.Operator.MATCHES;
import static dev.darklaunch.sdk.internal.model.Operator.NUMBER_EQ;
import static dev.darklaunch.sdk.internal.model.Operator.NUMBER_GT;
import static dev.darklaunch.sdk.internal.model.Operator.NUMBER_GTE;
import static dev.darklaunch.sdk.internal.model.Operator.NUMBER_LT;
import static dev.darklaunch.sdk.internal.model.Operator.NUMBER_LTE;
import static dev.darklaunch.sdk.internal.model.Operator.SEGMENT_MATCH;
import static dev.darklaunch.sdk.internal.model.Operator.SEMVER_EQ;
import static dev.darklaunch.sdk.internal.model.Operator.SEMVER_GT;
import static dev.darklaunch.sdk.internal.model.Operator.SEMVER_GTE;
import static dev.darklaunch.sdk.internal.model.Operator.SEMVER_LT;
import static dev.darklaunch.sdk.internal.model.Operator.SEMVER_LTE;
import static dev.darklaunch.sdk.internal.model.Operator.STARTS_WITH;
import static dev.darklaunch.sdk.internal.model.Operator.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.sdk.internal.model.SegmentRule;
import dev.darklaunch.sdk.internal.model.Serve;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requirement: every clause operator of ARCHITECTURE.md ("Clause") with the semantics documented on
 * {@code Clause} and {@code ClauseMatcher} — a clause matches when the attribute matches any value;
 * on a list attribute when any element matches; {@code negate} inverts the result (so a negated
 * clause matches a context without the attribute); {@code caseInsensitive} compares strings
 * ignoring case; a clause whose operator or values the SDK cannot use never matches, negated or not,
 * and never throws. Checked through {@link Snapshot#compile} and {@link Evaluator#evaluate}.
 */
class EvaluatorOperatorsTest {

    private static final String ATTRIBUTE = "attr";
    private static final long MAY_1_2025 = 1_746_057_600_000L; // 2025-05-01T00:00:00Z

    /** A clause on {@link #ATTRIBUTE}, a value of that attribute, and whether the clause matches it. */
    record Row(String requirement, Clause clause, Object attribute, boolean expected) {
        @Override
        public String toString() {
            return requirement;
        }
    }

    private static Row row(String requirement, Clause clause, Object attribute, boolean expected) {
        return new Row(requirement, clause, attribute, expected);
    }

    private static Clause on(Operator op, Object... values) {
        return clause(ATTRIBUTE, op, values);
    }

    static Stream<Row> rows() {
        return Stream.of(
                // in: strings, numbers, booleans, strictly typed
                row("in: text in the list", on(IN, "NO", "SE"), "SE", true),
                row("in: text not in the list", on(IN, "NO", "SE"), "DK", false),
                row("in: text is case-sensitive", on(IN, "NO", "SE"), "no", false),
                row("in: caseInsensitive, several values", caseInsensitive(on(IN, "NO", "SE")), "no", true),
                row("in: caseInsensitive, one value", caseInsensitive(on(IN, "pro")), "PRO", true),
                row("in: caseInsensitive, non-ASCII", caseInsensitive(on(IN, "Zoë")), "ZOË", true),
                row("in: one value, other case", on(IN, "pro"), "PRO", false),
                row("in: the empty string is a value", on(IN, ""), "", true),
                row("in: integer equals integer", on(IN, 1, 2.5), 1L, true),
                row("in: integer equals the same double", on(IN, 1, 2.5), 1.0, true),
                row("in: double equals double", on(IN, 1, 2.5), 2.5, true),
                row("in: number not in the list", on(IN, 1, 2.5), 3L, false),
                row("in: a numeric string is not a number", on(IN, 1), "1", false),
                row("in: true in [true]", on(IN, true), true, true),
                row("in: false not in [true]", on(IN, true), false, false),
                row("in: the text 'true' is not a boolean", on(IN, true), "true", false),
                row("in: mixed values, boolean", on(IN, "a", 1, false), false, true),
                row("in: mixed values, number", on(IN, "a", 1, false), 1L, true),
                row("in: mixed values, text", on(IN, "a", 1, false), "a", true),

                // startsWith / endsWith / contains: text only
                row("startsWith: prefix", on(STARTS_WITH, "foo"), "foobar", true),
                row("startsWith: not a prefix", on(STARTS_WITH, "foo"), "barfoo", false),
                row("startsWith: case-sensitive", on(STARTS_WITH, "foo"), "FOObar", false),
                row("startsWith: caseInsensitive", caseInsensitive(on(STARTS_WITH, "foo")), "FOObar", true),
                row("startsWith: caseInsensitive, non-ASCII", caseInsensitive(on(STARTS_WITH, "éc")), "ÉCOLE", true),
                row("startsWith: value longer than the attribute", on(STARTS_WITH, "foobar-long"), "foo", false),
                row("startsWith: any value", on(STARTS_WITH, "x", "ad"), "admin", true),
                row("startsWith: numbers are not text", on(STARTS_WITH, "12"), 123L, false),
                row("endsWith: suffix", on(ENDS_WITH, "@example.com"), "ann@example.com", true),
                row("endsWith: not a suffix", on(ENDS_WITH, "@example.com"), "ann@example.org", false),
                row("endsWith: case-sensitive", on(ENDS_WITH, "@example.com"), "ann@EXAMPLE.com", false),
                row("endsWith: caseInsensitive", caseInsensitive(on(ENDS_WITH, "@example.com")), "ann@EXAMPLE.com", true),
                row("endsWith: attribute shorter than the value", on(ENDS_WITH, "@example.com"), "example.com", false),
                row("contains: substring", on(CONTAINS, "beta"), "my-beta-app", true),
                row("contains: not a substring", on(CONTAINS, "beta"), "my-alpha-app", false),
                row("contains: case-sensitive", on(CONTAINS, "beta"), "my-BETA-app", false),
                row("contains: caseInsensitive", caseInsensitive(on(CONTAINS, "beta")), "my-BETA-app", true),
                row("contains: caseInsensitive, at the end", caseInsensitive(on(CONTAINS, "ta")), "BETA", true),
                row("contains: booleans are not text", on(CONTAINS, "true"), true, false),

                // matches: RE2, partial match (find), caseInsensitive via the engine
                row("matches: whole pattern", on(MATCHES, "^[a-z]+@example\\.com$"), "ann@example.com", true),
                row("matches: no match", on(MATCHES, "^[a-z]+@example\\.com$"), "ann@example.org", false),
                row("matches: finds a match anywhere", on(MATCHES, "b+"), "abbbc", true),
                row("matches: case-sensitive", on(MATCHES, "^abc$"), "ABC", false),
                row("matches: caseInsensitive", caseInsensitive(on(MATCHES, "^abc$")), "ABC", true),
                row("matches: any pattern", on(MATCHES, "^x$", "^y$"), "y", true),
                row("matches: numbers are not text", on(MATCHES, "^1"), 1L, false),

                // number comparisons, numbers or numeric strings
                row("numberEq: integer", on(NUMBER_EQ, 5), 5L, true),
                row("numberEq: double", on(NUMBER_EQ, 5), 5.0, true),
                row("numberEq: numeric string", on(NUMBER_EQ, 5), "5", true),
                row("numberEq: numeric string with a fraction", on(NUMBER_EQ, 5), "5.0", true),
                row("numberEq: numeric string with an exponent", on(NUMBER_EQ, 5000), "5e3", true),
                row("numberEq: other number", on(NUMBER_EQ, 5), 6L, false),
                row("numberEq: text that is not a number", on(NUMBER_EQ, 5), "five", false),
                row("numberEq: a padded numeric string is not a number", on(NUMBER_EQ, 5), " 5", false),
                row("numberEq: booleans are not numbers", on(NUMBER_EQ, 1), true, false),
                row("numberEq: zero equals negative zero", on(NUMBER_EQ, 0), -0.0, true),
                row("numberEq: zero equals the text -0", on(NUMBER_EQ, 0), "-0", true),
                row("numberLt: lower", on(NUMBER_LT, 10), 9.5, true),
                row("numberLt: equal is not lower", on(NUMBER_LT, 10), 10L, false),
                row("numberLt: negative numeric string", on(NUMBER_LT, 10), "-3", true),
                row("numberLt: negative zero is not below zero", on(NUMBER_LT, 0), -0.0, false),
                row("numberLte: equal", on(NUMBER_LTE, 10), 10L, true),
                row("numberLte: higher", on(NUMBER_LTE, 10), 10.0001, false),
                row("numberGt: higher numeric string", on(NUMBER_GT, 10), "1e3", true),
                row("numberGt: equal is not higher", on(NUMBER_GT, 10), 10L, false),
                row("numberGt: any value", on(NUMBER_GT, 100, 1), 50L, true),
                row("numberGte: equal", on(NUMBER_GTE, 10), 10.0, true),
                row("numberGte: lower", on(NUMBER_GTE, 10), "9.999", false),

                // semantic versions, SemVer 2.0.0 precedence
                row("semverEq: equal", on(SEMVER_EQ, "1.2.3"), "1.2.3", true),
                row("semverEq: build metadata is ignored", on(SEMVER_EQ, "1.2.3"), "1.2.3+build.7", true),
                row("semverEq: a pre-release is not the release", on(SEMVER_EQ, "1.2.3"), "1.2.3-rc.1", false),
                row("semverEq: equal pre-releases", on(SEMVER_EQ, "1.2.3-rc.1"), "1.2.3-rc.1", true),
                row("semverEq: a leading v is not a version", on(SEMVER_EQ, "1.2.3"), "v1.2.3", false),
                row("semverEq: two parts are not a version", on(SEMVER_EQ, "1.2.0"), "1.2", false),
                row("semverEq: numbers are not versions", on(SEMVER_EQ, "1.0.0"), 1L, false),
                row("semverLt: a pre-release is below its release", on(SEMVER_LT, "2.0.0"), "2.0.0-rc.1", true),
                row("semverLt: lower", on(SEMVER_LT, "2.0.0"), "1.9.9", true),
                row("semverLt: equal is not lower", on(SEMVER_LT, "2.0.0"), "2.0.0", false),
                row("semverLt: numeric, not lexical", on(SEMVER_LT, "1.10.0"), "1.9.0", true),
                row("semverLte: beta below rc", on(SEMVER_LTE, "2.0.0-rc.1"), "2.0.0-beta.11", true),
                row("semverLte: equal pre-release", on(SEMVER_LTE, "2.0.0-rc.1"), "2.0.0-rc.1", true),
                row("semverLte: higher pre-release", on(SEMVER_LTE, "2.0.0-rc.1"), "2.0.0-rc.2", false),
                row("semverGt: more pre-release fields are higher", on(SEMVER_GT, "1.0.0-alpha"), "1.0.0-alpha.1", true),
                row("semverGt: numeric pre-release fields compare as numbers", on(SEMVER_GT, "1.0.0-beta.2"), "1.0.0-beta.11", true),
                row("semverGt: alphanumeric above numeric fields", on(SEMVER_GT, "1.0.0-alpha.1"), "1.0.0-alpha.beta", true),
                row("semverGt: the release is above its rc", on(SEMVER_GT, "1.0.0-rc.1"), "1.0.0", true),
                row("semverGt: lower", on(SEMVER_GT, "1.0.0"), "0.9.0", false),
                row("semverGte: equal", on(SEMVER_GTE, "3.4.0"), "3.4.0", true),
                row("semverGte: numeric minor", on(SEMVER_GTE, "3.4.0"), "3.10.0", true),
                row("semverGte: lower", on(SEMVER_GTE, "3.4.0"), "3.3.99", false),
                row("semverGte: a pre-release of the version is lower", on(SEMVER_GTE, "3.4.0"), "3.4.0-rc.1", false),

                // dates: ISO-8601 text with offset or epoch milliseconds, on either side
                row("before: earlier ISO text", on(BEFORE, "2025-05-01T00:00:00Z"), "2025-04-30T23:59:59Z", true),
                row("before: the same instant is not before", on(BEFORE, "2025-05-01T00:00:00Z"), "2025-05-01T00:00:00Z", false),
                row("before: offsets are honoured (same instant)", on(BEFORE, "2025-05-01T00:00:00Z"), "2025-05-01T02:00:00+02:00", false),
                row("before: offsets are honoured (earlier)", on(BEFORE, "2025-05-01T00:00:00Z"), "2025-05-01T01:59:59+02:00", true),
                row("before: epoch millis on both sides", on(BEFORE, MAY_1_2025), MAY_1_2025 - 1, true),
                row("before: epoch millis attribute, ISO value", on(BEFORE, "2025-05-01T00:00:00Z"), MAY_1_2025 - 1, true),
                row("before: ISO attribute, epoch millis value", on(BEFORE, MAY_1_2025), "2025-04-30T23:59:59.999Z", true),
                row("after: later by a millisecond", on(AFTER, MAY_1_2025), "2025-05-01T00:00:00.001Z", true),
                row("after: the same instant is not after", on(AFTER, "2025-05-01T00:00:00Z"), MAY_1_2025, false),
                row("after: earlier", on(AFTER, "2025-05-01T00:00:00Z"), "2024-12-31T23:59:59Z", false),
                row("after: any value", on(AFTER, "2030-01-01T00:00:00Z", MAY_1_2025), MAY_1_2025 + 1, true),
                row("after: text that is not a date", on(AFTER, "2025-05-01T00:00:00Z"), "tomorrow", false),
                row("after: booleans are not dates", on(AFTER, MAY_1_2025), true, false),

                // address ranges
                row("inCidr: IPv4 in range", on(IN_CIDR, "10.0.0.0/8"), "10.1.2.3", true),
                row("inCidr: IPv4 out of range", on(IN_CIDR, "10.0.0.0/8"), "11.0.0.1", false),
                row("inCidr: IPv4-mapped IPv6 address in an IPv4 range", on(IN_CIDR, "10.0.0.0/8"), "::ffff:10.1.2.3", true),
                row("inCidr: IPv6 in range", on(IN_CIDR, "2001:db8::/32"), "2001:db8:0:1::1", true),
                row("inCidr: IPv6 upper-case hex", on(IN_CIDR, "2001:db8::/32"), "2001:DB8::1", true),
                row("inCidr: IPv6 out of range", on(IN_CIDR, "2001:db8::/32"), "2001:db9::1", false),
                row("inCidr: IPv4 address in an IPv6 range", on(IN_CIDR, "2001:db8::/32"), "10.0.0.1", false),
                row("inCidr: a single address", on(IN_CIDR, "192.168.1.1"), "192.168.1.1", true),
                row("inCidr: next to a single address", on(IN_CIDR, "192.168.1.1"), "192.168.1.2", false),
                row("inCidr: any range", on(IN_CIDR, "10.0.0.0/8", "192.168.0.0/16"), "192.168.7.7", true),
                row("inCidr: host names are not addresses", on(IN_CIDR, "127.0.0.0/8"), "localhost", false),
                row("inCidr: numbers are not addresses", on(IN_CIDR, "10.0.0.0/8"), 167_837_955L, false),

                // exists: present with any value
                row("exists: text", on(EXISTS), "x", true),
                row("exists: the empty string", on(EXISTS), "", true),
                row("exists: false", on(EXISTS), false, true),
                row("exists: zero", on(EXISTS), 0L, true),
                row("exists: an empty list", on(EXISTS), List.of(), true),

                // list attributes: any element
                row("list: in, one element matches", on(IN, "NO"), List.of("SE", "NO"), true),
                row("list: in, no element matches", on(IN, "NO"), List.of("SE", "DK"), false),
                row("list: in, the empty list", on(IN, "NO"), List.of(), false),
                row("list: mixed elements", on(IN, true), List.of("x", 1L, true), true),
                row("list: startsWith", on(STARTS_WITH, "ad"), List.of("user", "admin"), true),
                row("list: numberGt", on(NUMBER_GT, 10), List.of(1L, 20L), true),
                row("list: numberGt, none higher", on(NUMBER_GT, 10), List.of(1L, 2.5), false),
                row("list: semverGte", on(SEMVER_GTE, "2.0.0"), List.of("1.0.0", "2.1.0"), true),
                row("list: inCidr", on(IN_CIDR, "10.0.0.0/8"), List.of("192.168.0.1", "10.0.0.1"), true),
                row("list: caseInsensitive endsWith", caseInsensitive(on(ENDS_WITH, ".io")), List.of("a.com", "B.IO"), true),

                // partly usable values: the usable ones still count
                row("partly usable: numberEq ignores text values", on(NUMBER_EQ, "five", 5), 5L, true),
                row("partly usable: semverEq ignores non-versions", on(SEMVER_EQ, "latest", "1.0.0"), "1.0.0", true),
                row("partly usable: inCidr ignores bad ranges", on(IN_CIDR, "10.0.0.0/33", "10.0.0.0/8"), "10.0.0.1", true),
                row("partly usable: matches ignores bad patterns", on(MATCHES, "(unclosed", "^ok$"), "ok", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void operatorMatchesAsDocumentedAndNegateInvertsIt(Row row) {
        Context context = with(Context.of("user-1"), ATTRIBUTE, row.attribute());
        assertThat(matches(row.clause(), context)).as("clause").isEqualTo(row.expected());
        assertThat(matches(negated(row.clause()), context)).as("negated clause").isEqualTo(!row.expected());
    }

    static Stream<Clause> valueOperators() {
        return Stream.of(
                on(IN, "x", 1, true), on(STARTS_WITH, "x"), on(ENDS_WITH, "x"), on(CONTAINS, "x"), on(MATCHES, ".*"),
                on(NUMBER_EQ, 1), on(NUMBER_LT, 1), on(NUMBER_LTE, 1), on(NUMBER_GT, 1), on(NUMBER_GTE, 1),
                on(SEMVER_EQ, "1.0.0"), on(SEMVER_LT, "1.0.0"), on(SEMVER_LTE, "1.0.0"), on(SEMVER_GT, "1.0.0"),
                on(SEMVER_GTE, "1.0.0"), on(BEFORE, MAY_1_2025), on(AFTER, MAY_1_2025), on(IN_CIDR, "0.0.0.0/0"),
                on(EXISTS), caseInsensitive(on(IN, "x")), caseInsensitive(on(MATCHES, "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueOperators")
    void aMissingAttributeNeverMatchesAndANegatedClauseMatchesIt(Clause clause) {
        Context without = context("user-1", "other", "x");
        assertThat(matches(clause, without)).as("clause").isFalse();
        assertThat(matches(negated(clause), without)).as("negated clause").isTrue();
    }

    /** The key is the attribute {@code key}; it always exists. */
    @Test
    void theContextKeyIsTheAttributeKey() {
        assertThat(matches(clause("key", IN, "user-1", "user-2"), Context.of("user-2"))).isTrue();
        assertThat(matches(clause("key", IN, "user-1"), Context.of("user-2"))).isFalse();
        assertThat(matches(clause("key", STARTS_WITH, "svc-"), Context.of("svc-billing"))).isTrue();
        assertThat(matches(clause("key", EXISTS), Context.of(""))).isTrue();
    }

    /** Clauses the SDK cannot use: an operator from a newer server, values of the wrong kind, broken values. */
    static Stream<Row> unusableClauses() {
        return Stream.of(
                row("unknown operator", on(UNKNOWN, "x"), "x", false),
                row("no operator", new Clause(ATTRIBUTE, null, values("x"), false, false), "x", false),
                row("no attribute", new Clause(null, IN, values("x"), false, false), "x", false),
                row("in: no values", on(IN), "x", false),
                row("in: only objects and nulls", new Clause(ATTRIBUTE, IN, values(Map.of("a", 1), List.of("x")), false, false), "x", false),
                row("startsWith: a number", on(STARTS_WITH, 5), "5", false),
                row("contains: no values", on(CONTAINS), "x", false),
                row("matches: an invalid pattern", on(MATCHES, "(unclosed"), "(unclosed", false),
                row("matches: a backreference (not RE2)", on(MATCHES, "(a)\\1"), "aa", false),
                row("numberEq: text", on(NUMBER_EQ, "five"), 5L, false),
                row("numberGt: a numeric string value", on(NUMBER_GT, "5"), 6L, false),
                row("semverEq: not a version", on(SEMVER_EQ, "not-a-version"), "1.0.0", false),
                row("semverGt: a number", on(SEMVER_GT, 1), "2.0.0", false),
                row("before: not a date", on(BEFORE, "yesterday"), MAY_1_2025, false),
                row("after: a fractional number", on(AFTER, 1.5), MAY_1_2025, false),
                row("inCidr: prefix too long", on(IN_CIDR, "10.0.0.0/33"), "10.0.0.1", false),
                row("inCidr: a host name", on(IN_CIDR, "example.com"), "10.0.0.1", false),
                row("segmentMatch: not a segment key", on(SEGMENT_MATCH, 5), "x", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableClauses")
    void aClauseTheSdkCannotUseNeverMatchesNegatedOrNotAndNeverThrows(Row row) {
        for (Context context : List.of(with(Context.of("user-1"), ATTRIBUTE, row.attribute()), Context.of("user-1"))) {
            assertThat(matches(row.clause(), context)).as("clause").isFalse();
            assertThat(matches(negated(row.clause()), context)).as("negated clause").isFalse();
            assertThat(matches(caseInsensitive(row.clause()), context)).as("caseInsensitive clause").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Operator.class)
    void everyOperatorCompilesWithAnyValuesWithoutThrowing(Operator op) {
        Clause odd = new Clause(ATTRIBUTE, op, values("", "x", 0, -1.5, true, Map.of(), List.of(), "1.0.0", "10.0.0.0/8",
                "2025-05-01T00:00:00Z", "[", "\u0000"), true, true);
        for (Object value : List.of("", "x", 0L, -1.5, true, List.of(), List.of("1.0.0", 3L, false))) {
            matches(odd, with(Context.of(""), ATTRIBUTE, value));
        }
    }

    // ---- segmentMatch ------------------------------------------------------------------------

    private static final List<EnvironmentSegment> SEGMENTS = List.of(
            new EnvironmentSegment("beta", new SegmentConfig(List.of("u-in", "u-both"), List.of("u-out", "u-both"), List.of(
                    new SegmentRule("nordics", List.of(clause("country", IN, "NO"))),
                    new SegmentRule("corp-pro", List.of(clause("plan", IN, "pro"), clause("email", ENDS_WITH, "@corp.com")))))),
            new EnvironmentSegment("staff", new SegmentConfig(List.of("u-staff"), List.of(), List.of())));

    static Stream<Row> segmentRows() {
        Clause beta = on(SEGMENT_MATCH, "beta");
        return Stream.of(
                row("included key", beta, context("u-in"), true),
                row("included wins over excluded", beta, context("u-both", "country", "NO"), true),
                row("excluded key, even when a rule matches", beta, context("u-out", "country", "NO"), false),
                row("first rule matches", beta, context("u-x", "country", "NO"), true),
                row("second rule: all its clauses match", beta, context("u-x", "plan", "pro", "email", "a@corp.com"), true),
                row("second rule: one clause fails", beta, context("u-x", "plan", "pro", "email", "a@gmail.com"), false),
                row("no rule matches", beta, context("u-x", "country", "SE"), false),
                row("any of several segments", on(SEGMENT_MATCH, "beta", "staff"), context("u-staff"), true),
                row("a missing segment is skipped", on(SEGMENT_MATCH, "missing", "staff"), context("u-staff"), true),
                row("a missing segment contains nobody", on(SEGMENT_MATCH, "missing"), context("u-in"), false));
    }

    @ParameterizedTest(name = "segmentMatch: {0}")
    @MethodSource("segmentRows")
    void segmentMatchFollowsIncludedThenExcludedThenRules(Row row) {
        Context context = (Context) row.attribute();
        assertThat(matches(row.clause(), context, SEGMENTS)).as("clause").isEqualTo(row.expected());
        assertThat(matches(negated(row.clause()), context, SEGMENTS)).as("negated clause").isEqualTo(!row.expected());
    }

    private static boolean matches(Clause clause, Context context) {
        return matches(clause, context, List.of());
    }

    /** Whether a flag whose one rule is {@code clause} serves that rule to {@code context}. */
    private static boolean matches(Clause clause, Context context, List<EnvironmentSegment> segments) {
        Snapshot snapshot = snapshot(segments, flag(Flag.ofBoolean("f", "f"),
                onWith(FALSE, Serve.ofVariation(FALSE), rule("r", Serve.ofVariation(TRUE), clause))));
        Outcome outcome = evaluate(snapshot, "f", context);
        assertThat(outcome.reason()).isIn(Reason.ruleMatch(0, "r", false), Reason.fallthrough(false));
        return outcome.variation() == TRUE;
    }
}
