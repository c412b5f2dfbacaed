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

    private final byte[] prefix;
    private final String bucketBy;
    private final int seed;
    private final long total;
    private final int[] upperBounds;
    private final Outcome[] outcomes;

    /** @throws IllegalArgumentException if the rollout cannot bucket (no variations, a total below 1) */
    CompiledRollout(Rollout rollout, String flagKey, List<Outcome> outcomesByIndex) {
        if (rollout.variations().isEmpty() || rollout.totalWeight() < 1) {
            // fail here, so the flag compiles as malformed, rather than on every evaluation
            throw new IllegalArgumentException("a rollout needs variations and a total of at least 1");
        }
        String salt = rollout.salt() == null ? flagKey : rollout.salt();
        this.prefix = (salt + ":").getBytes(StandardCharsets.UTF_8);
        this.bucketBy = rollout.bucketBy();
        this.seed = rollout.seedOrZero();
        this.total = rollout.totalWeight();
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
        return bucket(prefix, text, seed, total);
    }

    /** The bucket of {@code value}: murmur3_32 of "salt:value" with the seed, unsigned, modulo the total. */
    static int bucket(byte[] saltPrefix, String value, int seed, long total) {
        return (int) (Integer.toUnsignedLong(Murmur3.hash(saltPrefix, value, seed)) % total);
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
