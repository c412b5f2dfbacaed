package dev.darklaunch.server.guards;

import dev.darklaunch.server.guards.GuardSamples.ArmSamples;
import dev.darklaunch.server.guards.GuardSamples.EventSums;
import dev.darklaunch.server.guards.GuardSamples.Samples;
import dev.darklaunch.server.guards.SequentialComparison.Arm;
import dev.darklaunch.server.guards.SequentialComparison.Evidence;
import dev.darklaunch.server.guards.SequentialComparison.Metric;

/**
 * One look of a guard at a flag's samples: the arms its metric compares, and the sequential test's
 * verdict on them.
 * <ul>
 *   <li>rate: observations are exposures, the sum is the event's count (events per exposure);</li>
 *   <li>ratio: observations are the {@code per} event's count, the sum the event's count, compared
 *       as a rate (the numerator events counted per denominator event);</li>
 *   <li>mean: observations are the event's count, with the sum and sum of squares of its values.</li>
 * </ul>
 */
public final class GuardCheck {

    private GuardCheck() {
    }

    public static Evidence compare(GuardSpec guard, Samples samples) {
        Metric metric = guard.kind() == GuardSpec.Kind.MEAN ? Metric.MEAN : Metric.RATE;
        return SequentialComparison.compare(arm(guard, samples.control()), arm(guard, samples.treatment()), metric, guard.bad(),
                guard.tolerance(), guard.alpha(), guard.minSample());
    }

    /** The observations, sum and sum of squares of one arm, as the guard's metric counts them. */
    static Arm arm(GuardSpec guard, ArmSamples samples) {
        EventSums event = samples.event(guard.event());
        return switch (guard.kind()) {
            case RATE -> new Arm(samples.exposures(), event.count(), event.count());
            case RATIO -> new Arm(samples.event(guard.per()).count(), event.count(), event.count());
            case MEAN -> new Arm(event.count(), event.sum(), event.sumOfSquares());
        };
    }
}
