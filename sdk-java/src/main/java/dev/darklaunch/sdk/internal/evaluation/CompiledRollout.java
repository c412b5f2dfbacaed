package dev.darklaunch.sdk.internal.evaluation;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.model.Rollout;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A rollout ready to bucket: the salt already encoded with its separator, cumulative bucket
 * bounds, and the outcome of each variation. A context without the bucketing attribute lands in
 * bucket 0, so it gets the same answer every time.
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

    Outcome pick(Context context) {
        int bucket = bucket(context);
        for (int i = 0; i < upperBounds.length; i++) {
            if (bucket < upperBounds[i]) {
                return outcomes[i];
            }
        }
        return outcomes[outcomes.length - 1];
    }

    int bucket(Context context) {
        Object value = bucketBy == null ? context.key() : context.get(bucketBy);
        if (value == null) {
            return 0;
        }
        String text = value instanceof String s ? s : text(value);
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

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "" : text(list.get(0));
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }
}
