package dev.darklaunch.server.guards;

import dev.darklaunch.server.guards.SequentialComparison.Arm;
import dev.darklaunch.server.guards.SequentialComparison.Bad;
import dev.darklaunch.server.guards.SequentialComparison.Evidence;
import dev.darklaunch.server.guards.SequentialComparison.Metric;
import dev.darklaunch.server.guards.SequentialComparison.Tolerance;
import dev.darklaunch.server.guards.SequentialComparison.Verdict;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The statistic itself, by simulation: a release watched every five seconds at 1 000 exposures a
 * second (10 % of them treated), as the server watches it. Equal rates (A/A) must raise a false
 * alarm in at most α of the runs, over all looks; a real regression must be found, and how fast is
 * printed. Seeds are fixed, so the figures are the same on every run.
 */
class SequentialComparisonTest {

    private static final double ALPHA = 0.05;
    private static final int EXPOSURES_PER_LOOK = 5_000; // 1 000 a second, looked at every 5 s
    private static final double TREATED = 0.10;

    /** Per simulated run: the look at which a regression was called, or -1. */
    private static int firstAlarm(SplittableRandom random, double controlRate, double treatmentRate, int looks,
                                  Tolerance tolerance) {
        long controlN = 0;
        long treatmentN = 0;
        long controlEvents = 0;
        long treatmentEvents = 0;
        for (int look = 1; look <= looks; look++) {
            int treated = binomial(random, EXPOSURES_PER_LOOK, TREATED);
            controlN += EXPOSURES_PER_LOOK - treated;
            treatmentN += treated;
            controlEvents += binomial(random, EXPOSURES_PER_LOOK - treated, controlRate);
            treatmentEvents += binomial(random, treated, treatmentRate);
            Evidence evidence = SequentialComparison.compare(new Arm(controlN, controlEvents, controlEvents),
                    new Arm(treatmentN, treatmentEvents, treatmentEvents), Metric.RATE, Bad.HIGHER, tolerance, ALPHA, 200);
            if (evidence.verdict() == Verdict.REGRESSION) {
                return look;
            }
        }
        return -1;
    }

    /**
     * Successes in n trials: exact (Knuth's product of uniforms, for the Poisson limit) when few are
     * expected, the normal approximation when many are — exact sampling of millions of trials per
     * run would make this a slow test without changing what it shows.
     */
    private static int binomial(SplittableRandom random, int n, double p) {
        double mean = n * p;
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * gaussian(random)));
        }
        double limit = Math.exp(-mean);
        int successes = 0;
        for (double product = random.nextDouble(); product > limit; product *= random.nextDouble()) {
            successes++;
        }
        return Math.min(successes, n);
    }

    @Test
    void equal_rates_checked_every_five_seconds_for_an_hour_raise_a_false_alarm_in_at_most_alpha_of_runs() {
        SplittableRandom random = new SplittableRandom(20261207);
        int runs = 1_000;
        int alarms = 0;
        for (int run = 0; run < runs; run++) {
            if (firstAlarm(random, 0.01, 0.01, 720, Tolerance.absolute(0)) >= 0) {
                alarms++;
            }
        }
        double rate = alarms / (double) runs;
        System.out.printf("A/A, 1 %% vs 1 %%, 720 looks, tolerance 0: %d false alarms in %d runs (%.2f %%, α = %.0f %%)%n",
                alarms, runs, 100 * rate, 100 * ALPHA);
        assertThat(rate).isLessThanOrEqualTo(ALPHA);
    }

    @Test
    void a_treatment_failing_five_times_as_often_is_caught_within_its_first_thousands_of_exposures() {
        SplittableRandom random = new SplittableRandom(7);
        int runs = 500;
        int[] looks = new int[runs];
        for (int run = 0; run < runs; run++) {
            looks[run] = firstAlarm(random, 0.01, 0.05, 720, Tolerance.relative(0.1));
        }
        java.util.Arrays.sort(looks);
        assertThat(looks[0]).as("every run finds it").isPositive();
        int median = looks[runs / 2];
        System.out.printf("5 %% vs 1 %%: median %d looks (%d s, ~%d treated exposures), slowest %d looks%n",
                median, median * 5, (int) (median * EXPOSURES_PER_LOOK * TREATED), looks[runs - 1]);
        assertThat(looks[runs - 1]).as("found within a minute in every run").isLessThanOrEqualTo(12);
    }

    @Test
    void smaller_effects_take_longer_and_are_still_found() {
        for (double factor : new double[]{2, 1.5, 1.2}) {
            SplittableRandom random = new SplittableRandom(11);
            int runs = 200;
            int[] looks = new int[runs];
            int found = 0;
            for (int run = 0; run < runs; run++) {
                looks[run] = firstAlarm(random, 0.01, 0.01 * factor, 720, Tolerance.absolute(0));
                found += looks[run] > 0 ? 1 : 0;
            }
            java.util.Arrays.sort(looks);
            System.out.printf("%.1f× of 1 %%: found in %d of %d runs within an hour, median look %d (%d s)%n",
                    factor, found, runs, looks[runs / 2], looks[runs / 2] * 5);
            assertThat(found).as("found within the hour at %.1f×", factor).isGreaterThanOrEqualTo(runs * 8 / 10);
        }
    }

    @Test
    void a_latency_thirty_per_cent_higher_is_caught_and_an_equal_one_is_not() {
        SplittableRandom random = new SplittableRandom(3);
        Evidence worse = latencies(random, 100, 130);
        assertThat(worse.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(worse.worsening()).isBetween(20.0, 40.0);
        Evidence same = latencies(random, 100, 100);
        assertThat(same.verdict()).isEqualTo(Verdict.NO_REGRESSION);
        assertThat(same.lower()).isLessThan(0).as("the interval holds the true difference, 0");
        assertThat(same.upper()).isGreaterThan(0);
    }

    /** 2 000 control and 500 treatment latencies, log-normal around the given medians, as an SDK sums them. */
    private static Evidence latencies(SplittableRandom random, double controlMedian, double treatmentMedian) {
        return SequentialComparison.compare(latencyArm(random, 2_000, controlMedian), latencyArm(random, 500, treatmentMedian),
                Metric.MEAN, Bad.HIGHER, Tolerance.relative(0.05), ALPHA, 100);
    }

    private static Arm latencyArm(SplittableRandom random, int n, double median) {
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double value = median * Math.exp(0.3 * gaussian(random));
            sum += value;
            squares += value * value;
        }
        return new Arm(n, sum, squares);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Test
    void lower_is_bad_turns_the_comparison_around() {
        Arm control = new Arm(10_000, 5_000, 5_000); // 50 % convert
        Arm treatment = new Arm(10_000, 4_000, 4_000); // 40 %
        assertThat(SequentialComparison.compare(control, treatment, Metric.RATE, Bad.LOWER, Tolerance.relative(0.05), ALPHA, 100)
                .verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(SequentialComparison.compare(control, treatment, Metric.RATE, Bad.HIGHER, Tolerance.relative(0.05), ALPHA, 100)
                .verdict()).isEqualTo(Verdict.NO_REGRESSION);
    }

    @Test
    void below_the_minimum_sample_there_is_no_verdict_and_a_difference_within_the_tolerance_is_no_regression() {
        assertThat(SequentialComparison.compare(new Arm(99, 1, 1), new Arm(99, 90, 90), Metric.RATE, Bad.HIGHER,
                Tolerance.absolute(0), ALPHA, 100).verdict()).isEqualTo(Verdict.TOO_FEW);
        // 1.00 % vs 1.05 %: measured precisely, but inside a 10 % tolerance
        assertThat(SequentialComparison.compare(new Arm(10_000_000, 100_000, 100_000), new Arm(10_000_000, 105_000, 105_000),
                Metric.RATE, Bad.HIGHER, Tolerance.relative(0.1), ALPHA, 100).verdict()).isEqualTo(Verdict.NO_REGRESSION);
        // …and the same difference with no tolerance is one
        assertThat(SequentialComparison.compare(new Arm(10_000_000, 100_000, 100_000), new Arm(10_000_000, 105_000, 105_000),
                Metric.RATE, Bad.HIGHER, Tolerance.absolute(0), ALPHA, 100).verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void no_events_at_all_in_either_arm_is_no_regression_and_absurd_input_is_refused() {
        assertThat(SequentialComparison.compare(new Arm(50_000, 0, 0), new Arm(5_000, 0, 0), Metric.RATE, Bad.HIGHER,
                Tolerance.absolute(0), ALPHA, 100).verdict()).isEqualTo(Verdict.NO_REGRESSION);
        assertThatThrownBy(() -> new Arm(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Arm(1, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tolerance.relative(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SequentialComparison.compare(new Arm(1, 0, 0), new Arm(1, 0, 0), Metric.RATE, Bad.HIGHER,
                Tolerance.absolute(0), 1.5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
