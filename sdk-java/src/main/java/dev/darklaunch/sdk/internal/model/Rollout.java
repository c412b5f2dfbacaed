package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A sticky percentage rollout. A context's bucket is {@code murmur3_32(salt + ":" + value, seed)},
 * read as an unsigned number, modulo {@code total}, where {@code value} is the bucketing attribute;
 * the variations own consecutive bucket ranges in list order, each as wide as its weight. The same
 * context always lands in the same bucket, and growing a variation's weight at the end of the
 * list only moves contexts into it.
 *
 * <p>The scheme is the one Unleash uses for gradual rollouts ({@code total} 100, seed 0) and for
 * variants (its own seed, {@code total} the sum of the variant weights), so flags imported from
 * Unleash keep every user in the bucket they had there.
 *
 * @param variations the weighted variations; weights add up to {@code total}
 * @param bucketBy the context attribute to bucket by, or {@code null} for the context key
 * @param salt the hash salt, or {@code null} for the flag key
 * @param seed the murmur3 seed, or {@code null} for 0
 * @param total the sum of the weights, 1 to {@link #TOTAL_WEIGHT}, or {@code null} for {@link #TOTAL_WEIGHT}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(List<WeightedVariation> variations, String bucketBy, String salt, Integer seed, Integer total) {
    /** The default and largest sum of all weights: 100 000, so one unit is 0.001 %. */
    public static final int TOTAL_WEIGHT = 100_000;

    @JsonCreator
    public Rollout {
        variations = Copies.list(variations);
    }

    /** A rollout out of {@link #TOTAL_WEIGHT} with seed 0. */
    public Rollout(List<WeightedVariation> variations, String bucketBy, String salt) {
        this(variations, bucketBy, salt, null, null);
    }

    /** The sum the weights add up to. */
    public int totalWeight() {
        return total == null ? TOTAL_WEIGHT : total;
    }

    /** The murmur3 seed. */
    public int seedOrZero() {
        return seed == null ? 0 : seed;
    }
}
