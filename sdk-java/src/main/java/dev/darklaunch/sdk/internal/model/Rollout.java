package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A sticky percentage rollout. A context's bucketing attribute is hashed with the salt into a
 * bucket in {@code [0, TOTAL_WEIGHT)}; the variations own consecutive bucket ranges in list order,
 * each as wide as its weight. The same context always lands in the same bucket.
 *
 * @param variations the weighted variations; weights add up to {@link #TOTAL_WEIGHT}
 * @param bucketBy the context attribute to bucket by, or {@code null} for the context key
 * @param salt the hash salt, or {@code null} for the flag key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(List<WeightedVariation> variations, String bucketBy, String salt) {
    /** The sum of all weights: 100 000, so one unit is 0.001 %. */
    public static final int TOTAL_WEIGHT = 100_000;

    public Rollout {
        variations = Copies.list(variations);
    }
}
