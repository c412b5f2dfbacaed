package dev.darklaunch.sdk.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.WeightedVariation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the bucket of a table of (salt, value, seed, total). <strong>These numbers are the contract
 * every Darklaunch SDK, in any language, must reproduce exactly:</strong> a context's bucket decides
 * which variation of a rollout it gets, so an SDK that computes a different bucket silently moves
 * users between variations. Never change a row; a failure here means the bucketing changed.
 *
 * <p>The scheme (see {@code Rollout}): bucket = unsigned MurmurHash3 x86_32 of the UTF-8 bytes of
 * {@code salt + ":" + value} with the rollout's seed, modulo the rollout's total. The salt defaults
 * to the flag key and the value to the context key. The numbers were computed once from this
 * implementation after {@link Murmur3Test} proved the hash against published vectors and Guava,
 * and cross-checked with Guava's {@code Hashing.murmur3_32_fixed}. The two {@code gr1} /
 * {@code groupX} rows are Unleash's published cross-client vectors
 * ({@code normalizedValue('123', 'gr1') == 73}, {@code normalizedValue('999', 'groupX') == 25}; its
 * buckets run 1..100, ours 0..99).
 */
class BucketingTest {

    private static final String TABLE = """
            # salt,       value,    seed,     total,  bucket
            new-checkout, user-1,   0,        100000, 40631
            new-checkout, user-2,   0,        100000, 10789
            new-checkout, '',       0,        100000, 7121
            new-checkout, user-1,   0,        1000,   631
            checkout-v2,  user-42,  0,        100,    91
            gr1,          123,      0,        100,    72
            groupX,       999,      0,        100,    24
            theme,        user-42,  86028157, 100000, 95128
            theme,        user-42,  86028157, 100,    28
            theme,        user-43,  86028157, 1000,   982
            flag-ü,       Zoë 😀,   0,        100000, 38790
            new-checkout, org-7,    -1,       100000, 61960
            a,            b,        0,        1,      0
            """;

    @ParameterizedTest(name = "bucket({0}:{1}, seed {2}) mod {3} = {4}")
    @CsvSource(textBlock = TABLE)
    void bucketIsPinned(String salt, String value, int seed, int total, int bucket) {
        byte[] prefix = (salt + ":").getBytes(StandardCharsets.UTF_8);
        assertThat(CompiledRollout.bucket(prefix, value, seed, total)).isEqualTo(bucket);
    }

    /**
     * The same numbers decide evaluations: with the flag key as the default salt and the context
     * key as the default bucketing value, a context in bucket {@code b} is outside a first variation
     * of weight {@code b} and inside one of weight {@code b + 1}. Likewise with an explicit salt and
     * bucketBy attribute.
     */
    @ParameterizedTest(name = "evaluating {0}:{1}, seed {2}, total {3} uses bucket {4}")
    @CsvSource(textBlock = TABLE)
    void evaluationUsesThePinnedBucket(String salt, String value, int seed, int total, int bucket) {
        Context byKey = Context.of(value);
        Context byAttribute = Context.of("someone-else").with("accountId", value);

        assertThat(servedVariation(salt, null, null, seed, total, bucket, byKey)).isEqualTo(1);
        assertThat(servedVariation(salt, null, null, seed, total, bucket + 1, byKey)).isEqualTo(0);
        assertThat(servedVariation("other-flag", salt, "accountId", seed, total, bucket, byAttribute)).isEqualTo(1);
        assertThat(servedVariation("other-flag", salt, "accountId", seed, total, bucket + 1, byAttribute)).isEqualTo(0);
    }

    /**
     * A numeric bucketing value is bucketed as text, a whole number as plain digits whatever its
     * Java type and size: {@code 1e15} used to be written {@code "1.0E15"} while the same number as
     * a long was {@code "1000000000000000"}, so the bucket depended on the type from 10^15 up.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"1000000000000000", "123456789012345678", "-9007199254740993", "100000000000000000000", "7", "0"})
    void wholeNumbersBucketAsDigitsWhateverTheirType(String digits) {
        java.math.BigInteger exact = new java.math.BigInteger(digits);
        List<Number> forms = new java.util.ArrayList<>(List.of(exact, new java.math.BigDecimal(exact),
                new java.math.BigDecimal(exact).setScale(2), new java.math.BigDecimal(digits + "E0"),
                new java.math.BigDecimal(exact).stripTrailingZeros()));
        if (exact.bitLength() < 64) {
            forms.add(exact.longValueExact());
        }
        double asDouble = exact.doubleValue();
        if (new java.math.BigDecimal(asDouble).toBigInteger().equals(exact)) { // the double holds it exactly
            forms.add(asDouble);
        }
        if (exact.bitLength() < 31) {
            forms.add(exact.intValue());
            forms.add((float) exact.intValue());
        }
        for (Number form : forms) {
            assertThat(CompiledRollout.numberText(form)).as("%s (%s)", form, form.getClass().getSimpleName()).isEqualTo(digits);
        }
        // and the evaluator buckets them alike: 100 variations of 1 % each, so a different text rarely lands on the same one
        List<WeightedVariation> weighted = new java.util.ArrayList<>();
        String[] names = new String[100];
        for (int i = 0; i < 100; i++) {
            weighted.add(new WeightedVariation(i, Rollout.TOTAL_WEIGHT / 100));
            names[i] = "v" + i;
        }
        Rollout rollout = new Rollout(weighted, "n", null);
        FlagConfig config = new FlagConfig(true, 0, List.of(), List.of(), Serve.ofRollout(rollout), List.of());
        Snapshot snapshot = Snapshot.compile(new EnvironmentData(1, List.of(new EnvironmentFlag(EvaluationFixtures.stringFlag("f", names), config)),
                List.of()));
        Outcome byText = Evaluator.evaluate(snapshot, snapshot.flag("f"), Context.of("k").with("n", digits));
        for (Number form : forms) {
            Context context = Context.of("k").with("n", List.of(form));
            assertThat(Evaluator.evaluate(snapshot, snapshot.flag("f"), context)).as("%s", form).isSameAs(byText);
        }
    }

    @org.junit.jupiter.api.Test
    void numbersWithAFractionKeepTheirShortestForm() {
        assertThat(CompiledRollout.numberText(2.5)).isEqualTo("2.5");
        assertThat(CompiledRollout.numberText(new java.math.BigDecimal("2.50"))).isEqualTo("2.5");
        assertThat(CompiledRollout.numberText(1e15 + 0.5)).isEqualTo("1.0000000000000005E15");
        assertThat(CompiledRollout.numberText(1e300)).isEqualTo(new java.math.BigDecimal(1e300).toBigInteger().toString()).doesNotContain("E");
    }

    /** The variation served by a boolean flag whose fallthrough gives {@code firstWeight} to true, the rest to false. */
    private static int servedVariation(String flagKey, String salt, String bucketBy, int seed, int total,
                                       int firstWeight, Context context) {
        Rollout rollout = new Rollout(List.of(new WeightedVariation(0, firstWeight), new WeightedVariation(1, total - firstWeight)),
                bucketBy, salt, seed, total);
        FlagConfig config = new FlagConfig(true, 1, List.of(), List.of(), Serve.ofRollout(rollout), List.of());
        Snapshot snapshot = Snapshot.compile(new EnvironmentData(1, List.of(new EnvironmentFlag(Flag.ofBoolean(flagKey, flagKey), config)), List.of()));
        Outcome outcome = Evaluator.evaluate(snapshot, snapshot.flag(flagKey), context);
        assertThat(outcome.reason()).isEqualTo(Reason.fallthrough(true));
        return outcome.variation();
    }
}
