package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.assertInvalid;
import static dev.darklaunch.sdk.internal.model.Fixtures.booleanFlag;
import static dev.darklaunch.sdk.internal.model.Fixtures.withClause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requirement (security: regular expression compile bombs): a {@code matches} value whose program
 * would be huge once its counted repetitions are expanded is refused by the shared validator
 * before anything compiles it — {@code ((a{1000}){1000}){1000}} used to block the server for
 * seconds and exhaust its heap — while every sane pattern still passes.
 */
class PatternLimitTest {

    private static final String FIELD = "rules[0].clauses[0].values[0]";

    @ParameterizedTest
    @ValueSource(strings = {"((a{1000}){1000}){1000}", "(a{1000}){1000}", "(?:(?:){1000}){1000}", "((((a{10}){10}){10}){10}){10}",
            "(\\pL{100}|[0-9]{100}){100}", "(?i)(ab{2,}c?){1000}(xy{1000}){5}", "(a{1000})+{1000}", "\\Q\\E(x{999}){20}"})
    void bombsAreRefusedQuicklyNamingTheFieldAndTheLimit(String bomb) {
        long started = System.nanoTime();
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(matches(bomb))), FIELD,
                "is too large once compiled");
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(matches(bomb))), FIELD,
                "at most " + ModelValidator.MAX_PATTERN_SIZE + " are allowed");
        // refused by the scan, not by compiling: compiling the first one takes seconds and a gigabyte
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void tenBombValuesAreRefusedAtTheFirst() {
        Clause clause = new Clause("email", Operator.MATCHES, Collections.nCopies(10, TextNode.valueOf("(a{1000}){1000}")), false, false);
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(clause)), FIELD, "is too large once compiled");
    }

    @Test
    void segmentRulesAreCheckedTheSameWay() {
        SegmentConfig segment = new SegmentConfig(List.of(), List.of(),
                List.of(new SegmentRule(null, List.of(matches("((a{1000}){1000}){1000}")))));
        assertInvalid(() -> ModelValidator.validateSegmentConfig(segment), FIELD, "is too large once compiled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"^[a-z0-9._%+-]{1,64}@example\\.com$", "[0-9]{1,1000}", "^\\d{3}-\\d{4}$", "(?i)^(firefox|chrome)/\\d+",
            "^(\\d{1,3}\\.){3}\\d{1,3}$", "\\p{Greek}+", "[[:alpha:]]{2,8}", "^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$", "a{,5}", "{}",
            "x{1000}y{1000}z{1000}w{1000}", "(?P<user>[a-z]+)@(?<host>[a-z.]+)", "[\\]{}]{10}", "\\x{1F600}{3}"})
    void sanePatternsPass(String pattern) {
        assertThatCode(() -> ModelValidator.validateConfig(booleanFlag(), withClause(matches(pattern)))).doesNotThrowAnyException();
        assertThat(EvaluationCost.patternFits(pattern, true)).isTrue();
    }

    /** The estimate never falls below what RE2/J really builds: it is an upper bound, so nothing big slips past. */
    @ParameterizedTest
    @ValueSource(strings = {"[0-9]{1,1000}", "(ab|cd){300}", "((a{10}){10}){10}", "x{1000}y{1000}", "(?i)hello{500}", "(a|b|c|d){2,200}"})
    void theEstimateIsNotBelowTheCompiledProgram(String pattern) {
        long estimate = PatternSize.of(pattern);
        assertThat(estimate).isGreaterThanOrEqualTo(compiledInstructions(pattern));
        assertThat(estimate).as("and not wildly above").isLessThanOrEqualTo(4 * compiledInstructions(pattern) + 10);
    }

    /**
     * RE2/J never returns from compiling these ignoring case (a thread spins forever): refused
     * before compiling, in the validator and by the SDK's compiler alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"(?i)\\x{1C80}", "(?i)\u1c88", "(?i)[\\x{1C00}-\\x{1CFF}]", "(?i:a[\u1c80-\u1c81])", "(?si)\\Q\u1c84\\E"})
    void patternsRe2CannotFoldAreRefusedBeforeCompiling(String pattern) {
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(matches(pattern))), FIELD, "cannot be matched ignoring case");
        assertThat(EvaluationCost.patternFits(pattern, false)).isFalse();
    }

    @Test
    void theSameLettersWithoutIgnoringCaseAreFine() {
        assertThat(EvaluationCost.patternFits("\u1c80+", false)).isTrue();
        assertThat(EvaluationCost.patternFits("\u1c80+", true)).isFalse();
        assertThat(EvaluationCost.patternFits("(?i)[а-я]+", true)).isTrue();
        Clause caseInsensitive = new Clause("name", Operator.MATCHES, List.<JsonNode>of(TextNode.valueOf("[\u1c80-\u1c88]")), false, true);
        assertInvalid(() -> ModelValidator.validateConfig(booleanFlag(), withClause(caseInsensitive)), FIELD, "cannot be matched ignoring case");
    }

    /** The set above, recomputed from RE2/J's own case folding over every code point (by reflection: it is package-private). */
    @Test
    void theCodePointsRe2CannotFoldAreExactlyTheKnownOnes() throws Exception {
        java.lang.reflect.Method simpleFold = Class.forName("com.google.re2j.Unicode").getDeclaredMethod("simpleFold", int.class);
        simpleFold.setAccessible(true);
        List<Integer> endless = new java.util.ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            int r = (int) simpleFold.invoke(null, c);
            for (int steps = 0; r != c && steps < 10; steps++) {
                r = (int) simpleFold.invoke(null, r);
            }
            if (r != c) {
                endless.add(c);
            }
        }
        List<Integer> known = new java.util.ArrayList<>();
        for (int c = PatternSize.FOLD_HAZARD_FIRST; c <= PatternSize.FOLD_HAZARD_LAST; c++) {
            known.add(c);
        }
        assertThat(endless).isEqualTo(known);
    }

    @Test
    void literalBracesAreNotRepetitions() {
        long a = PatternSize.of("a");
        assertThat(PatternSize.of("a{") - a).isEqualTo(1);
        assertThat(PatternSize.of("a{x}") - a).isEqualTo(3);
        assertThat(PatternSize.of("a{1000") - a).isEqualTo(5);
        assertThat(PatternSize.of("a{2}") - a).isEqualTo(1);
    }

    private static Clause matches(String pattern) {
        return new Clause("email", Operator.MATCHES, List.<JsonNode>of(TextNode.valueOf(pattern)), false, false);
    }

    /** The size of RE2/J's program, which it tells only once it has compiled the pattern. */
    private static long compiledInstructions(String pattern) {
        return Pattern.compile(pattern).programSize();
    }
}
