package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.model.Rollout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A rollout ready to bucket: the salt already encoded with its separator, cumulative bucket
 * bounds, and the outcome of each variation.
 *
 * <p>A context's bucket is {@code murmur3_32(salt + ":" + value, seed)}, unsigned, modulo the
 * total, where {@code value} is the bucketing attribute as text (a number that is a whole number
 * is written as plain digits whatever its Java type: {@code 1e15}, {@code 1000000000000000L} and
 * {@code new BigDecimal("1E+15")} all bucket as {@code "1000000000000000"}; a list buckets by its
 * first element). A context that lacks the bucketing attribute (or has an empty list) is never in
 * a percentage rollout: {@link #pick} gives null, so a rule serving the rollout does not match it
 * and the fallthrough serves it the flag's off variation — putting all such contexts in one
 * bucket would turn a 1 % rollout into 0 % or 100 % of them.
 */
final class CompiledRollout {

    private final Murmur3.Prefix prefix;
    private final String bucketBy;
    private final long total;
    private final long totalReciprocal;
    private final int[] upperBounds;
    private final Outcome[] outcomes;

    /** @throws IllegalArgumentException if the rollout cannot bucket (no variations, a total below 1) */
    CompiledRollout(Rollout rollout, String flagKey, List<Outcome> outcomesByIndex) {
        if (rollout.variations().isEmpty() || rollout.totalWeight() < 1) {
            // fail here, so the flag compiles as malformed, rather than on every evaluation
            throw new IllegalArgumentException("a rollout needs variations and a total of at least 1");
        }
        String salt = rollout.salt() == null ? flagKey : rollout.salt();
        this.prefix = new Murmur3.Prefix((salt + ":").getBytes(StandardCharsets.UTF_8), rollout.seedOrZero());
        this.bucketBy = rollout.bucketBy() == null ? null : rollout.bucketBy().intern();
        this.total = rollout.totalWeight();
        this.totalReciprocal = reciprocal(total);
        int n = rollout.variations().size();
        this.upperBounds = new int[n];
        this.outcomes = new Outcome[n];
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += rollout.variations().get(i).weight();
            upperBounds[i] = sum;
            outcomes[i] = outcomesByIndex.get(rollout.variations().get(i).variation());
        }
    }

    /** The outcome for the context's bucket, or null when the context lacks the bucketing attribute. */
    Outcome pick(Context context) {
        return pick(context, null);
    }

    /** {@link #pick}, recording the bucket into {@code trace} when it is not null. */
    Outcome pick(Context context, Explanation trace) {
        int bucket = bucket(context);
        if (bucket < 0) {
            if (trace != null) {
                trace.bucketed(new Explanation.Bucket(bucketByName(), null, null, total, null, null, null));
            }
            return null;
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (bucket < upperBounds[i]) {
                if (trace != null) {
                    trace.bucketed(bucketOf(context, bucket, i, upperBounds[i]));
                }
                return outcomes[i];
            }
        }
        int last = outcomes.length - 1; // a total above the weights' sum: the rest is the last variation's
        if (trace != null) {
            trace.bucketed(bucketOf(context, bucket, last, total));
        }
        return outcomes[last];
    }

    private Explanation.Bucket bucketOf(Context context, int bucket, int i, long to) {
        Object value = bucketBy == null ? context.key() : context.get(bucketBy);
        long from = i == 0 ? 0 : upperBounds[i - 1];
        return new Explanation.Bucket(bucketByName(), value, bucket, total, outcomes[i].variation(), from, to);
    }

    private String bucketByName() {
        return bucketBy == null ? Context.KEY : bucketBy;
    }

    /** The context's bucket, or -1 when it lacks the bucketing attribute. */
    int bucket(Context context) {
        Object value = bucketBy == null ? context.key() : context.get(bucketBy);
        String text;
        if (value instanceof String s) { // the common case first: no interface check on the hot path
            text = s;
        } else if (value == null || (value instanceof List<?> list && list.isEmpty())) {
            return -1;
        } else {
            text = text(value);
        }
        return remainder(Integer.toUnsignedLong(prefix.hash(text)), total, totalReciprocal);
    }

    /**
     * {@code n % d} for a 32-bit unsigned n by multiplication (Lemire's "fastmod"): a division
     * costs tens of cycles, several times the rest of the bucketing. Pinned against {@code %} in tests.
     */
    static int remainder(long n, long d, long reciprocal) {
        long low = reciprocal * n;
        return (int) (Math.multiplyHigh(low, d) + ((low >> 63) & d)); // unsigned high half, d < 2^31
    }

    /** The reciprocal {@link #remainder} multiplies by: ceil(2^64 / d). */
    static long reciprocal(long d) {
        return Long.divideUnsigned(-1L, d) + 1;
    }

    /** The bucket of {@code value}: murmur3_32 of "salt:value" with the seed, unsigned, modulo the total. */
    static int bucket(byte[] saltPrefix, String value, int seed, long total) {
        return remainder(Integer.toUnsignedLong(new Murmur3.Prefix(saltPrefix, seed).hash(value)), total, reciprocal(total));
    }

    static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "" : text(list.get(0));
        }
        if (value instanceof Number number) {
            return numberText(number);
        }
        return value.toString();
    }

    /** A whole number as plain digits, whatever its type and size; other numbers as Java writes them. */
    static String numberText(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte
                || number instanceof BigInteger) {
            return number.toString();
        }
        if (number instanceof BigDecimal decimal) {
            BigDecimal stripped = decimal.stripTrailingZeros();
            return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : stripped.toPlainString();
        }
        double d = number.doubleValue();
        if (Double.isFinite(d) && d == Math.rint(d)) {
            // exact: below 2^63 through long, above through the double's exact decimal value
            return Math.abs(d) < 0x1p63 ? Long.toString((long) d) : new BigDecimal(d).toBigInteger().toString();
        }
        return number.toString();
    }
}
