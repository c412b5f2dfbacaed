package dev.darklaunch.sdk.internal.evaluation;

import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.caseInsensitive;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.clause;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.context;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requirement: {@code caseInsensitive} is one rule for every operator, Unicode simple case folding
 * as RE2's {@code (?i)} applies it in {@code matches} (see {@link CaseFoldTest} for the exhaustive
 * comparison). With Java's {@code equalsIgnoreCase}, {@code in}, {@code startsWith},
 * {@code endsWith} and {@code contains} used to treat the Turkish {@code İ} and {@code ı} as
 * {@code i} and {@code I}, while {@code matches} did not.
 */
class CaseInsensitiveOperatorsTest {

    /**
     * Every operator, the same answer as {@code matches}: {@code İ} and {@code ı} are not {@code i}
     * or {@code I}, while ASCII and other letters still ignore case.
     */
    @ParameterizedTest(name = "{0} {1} vs {2}: {3}")
    @CsvSource({
            "in, istanbul, İSTANBUL, false", "in, İstanbul, İSTANBUL, true", "in, ıSPARTA, ISPARTA, false", "in, Izmir, İZMİR, false",
            "in, ankara, ANKARA, true", "in, straße, STRASSE, false", "in, ÇANKIRI, çankiri, true", "in, ÇANKIRI, çankırı, false",
            "startsWith, İst, istanbul, false", "startsWith, İst, İSTANBUL, true", "startsWith, ı, Isparta, false",
            "startsWith, ANK, ankara, true",
            "endsWith, bİ, tobi, false", "endsWith, Bİ, tobİ, true", "endsWith, ı, FARKI, false", "endsWith, KARA, ankara, true",
            "contains, tİ, sutiste, false", "contains, Tİ, sutİste, true", "contains, ırk, IRK, false", "contains, ÇANK, çankırı, true",
            "matches, İstanbul, istanbul, false", "matches, ı, I, false", "matches, ^ankara$, ANKARA, true",
    })
    void turkishLettersInEveryOperator(String op, String value, String attribute, boolean expected) {
        Operator operator = Operator.fromJsonName(op);
        for (String[] values : List.of(new String[]{value}, new String[]{value, "unrelated-" + value, "x"})) {
            Clause clause = caseInsensitive(clause("city", operator, (Object[]) values));
            ClauseMatcher matcher = ClauseCompiler.compile(clause, Map.of());
            assertThat(matcher.matches(context("u", "city", attribute))).as("%s %s %s", op, List.of(values), attribute).isEqualTo(expected);
            if (operator == Operator.MATCHES) {
                // the same rule, checked against RE2 directly
                assertThat(Pattern.compile(value, Pattern.CASE_INSENSITIVE).matcher(attribute).find()).isEqualTo(expected);
            }
        }
    }

}
