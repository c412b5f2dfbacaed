package dev.darklaunch.sdk.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Requirement ({@code PatternSize}): the size estimated from a pattern's text is never below the
 * program RE2/J builds from it, for any pattern — so no pattern the validator lets through
 * compiles to more than the limit.
 */
class PatternSizeProperties {

    @Property(tries = 2_000)
    void theEstimateIsAnUpperBoundOfTheCompiledProgram(@ForAll("patterns") String pattern) {
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException invalid) {
            Assume.that(false);
            return;
        }
        assertThat(PatternSize.of(pattern)).as(pattern).isGreaterThanOrEqualTo(compiled.programSize());
    }

    @Provide
    Arbitrary<String> patterns() {
        return expression(3);
    }

    private Arbitrary<String> expression(int depth) {
        Arbitrary<String> atom = Arbitraries.of("a", "b", "ab", "\\d", "[a-c]", "[^x]", ".", "^", "$", "\\b", "\\pL", "(?i)k",
                "\\x{1F600}", "\\Qa.b\\E", "é", "");
        Arbitrary<String> item = depth == 0 ? atom : Arbitraries.oneOf(atom, expression(depth - 1).map(e -> "(" + e + ")"),
                expression(depth - 1).map(e -> "(?:" + e + ")"));
        Arbitrary<String> repeated = Combinators.combine(item, Arbitraries.of("", "*", "+", "?", "*?", "{2}", "{0,3}", "{3,}", "{1,5}",
                "{0}", "{4,4}")).as((i, r) -> i + r);
        Arbitrary<String> sequence = repeated.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts));
        return sequence.list().ofMinSize(1).ofMaxSize(3).map(alternatives -> String.join("|", alternatives));
    }
}
