package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.WeightedVariation;

import java.util.List;

/**
 * What releasing a deployment's flag to a share of contexts means for its configuration: on, and
 * the fallthrough serving {@code true} to that share (a sticky rollout with {@code true} first, so
 * raising the share only adds contexts) or to everyone at 100 %. Targets, rules and prerequisites
 * stay as they are.
 */
final class ReleaseMath {

    static final int EVERYONE = Rollout.TOTAL_WEIGHT;

    private ReleaseMath() {
    }

    /** The configuration serving {@code true} to {@code weight} of {@link Rollout#TOTAL_WEIGHT}. */
    static FlagConfig released(Flag flag, FlagConfig config, int weight) {
        int on = flag.indexOfBoolean(true);
        int off = flag.indexOfBoolean(false);
        Serve fallthrough;
        if (weight >= EVERYONE) {
            fallthrough = Serve.ofVariation(on);
        } else {
            Rollout kept = config.fallthrough() == null ? null : config.fallthrough().rollout();
            // keep the bucketing attribute and salt of a rollout in place, so nobody changes buckets
            fallthrough = Serve.ofRollout(new Rollout(
                    List.of(new WeightedVariation(on, weight), new WeightedVariation(off, EVERYONE - weight)),
                    kept == null ? null : kept.bucketBy(), kept == null ? null : kept.salt()));
        }
        return new FlagConfig(true, config.offVariation(), config.targets(), config.rules(), fallthrough, config.prerequisites(),
                config.metadata());
    }

    /**
     * The share of contexts a boolean flag's fallthrough serves {@code true}, in thousandths of a
     * percent: 0 when off, the rollout's weight for {@code true}, or everyone.
     */
    static int weightOn(Flag flag, FlagConfig config) {
        int on = flag.indexOfBoolean(true);
        if (!config.on() || config.fallthrough() == null) {
            return 0;
        }
        Serve serve = config.fallthrough();
        if (serve.variation() != null) {
            return serve.variation() == on ? EVERYONE : 0;
        }
        Rollout rollout = serve.rollout();
        long weight = rollout.variations().stream().filter(v -> v.variation() == on).mapToLong(WeightedVariation::weight).sum();
        return (int) (weight * EVERYONE / rollout.totalWeight());
    }

    /** A weight as a percentage: 10000 → 10.0. */
    static double percentage(int weight) {
        return weight / 1000.0;
    }
}
