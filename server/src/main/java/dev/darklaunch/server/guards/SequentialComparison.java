package dev.darklaunch.server.guards;

/**
 * Whether a release's variation (the treatment) does worse than what everyone else is served (the
 * control), decided with a test that may be looked at as often as we like: a mixture sequential
 * probability ratio test (mSPRT) with a normal mixing distribution, read as an always-valid
 * confidence sequence for the difference of the two means. A fixed-horizon p-value checked every
 * few seconds would raise false alarms far more often than its α; this one keeps the chance of
 * ever calling a regression that is not there within α, however often it is checked.
 *
 * <p>Written here rather than taken from a library because no well-kept Java library offers
 * always-valid inference; the formula is a few lines (Robbins' normal mixture, as in Johari et
 * al., "Always valid inference", 2017) and is checked by simulation in its tests.
 *
 * <p>Each arm is summarised by what the SDKs send: how many observations (exposures, or values of
 * a measured event), their sum and their sum of squares. Variances are estimated from those
 * (plug-in), and the difference is treated as normal — fine at the sample sizes a guard waits for.
 */
public final class SequentialComparison {

    /** What a guard compares: events per exposure (a rate), or the mean of an event's values. */
    public enum Metric {
        /** Events counted per exposure (errors per request); variance as for counts (Poisson). */
        RATE,
        /** The mean of measured values (latency); variance from the sum of squares. */
        MEAN
    }

    /** Which way is worse. */
    public enum Bad {
        HIGHER, LOWER
    }

    /** One arm's aggregates: observations, sum and sum of squares of the metric. */
    public record Arm(long n, double sum, double sumOfSquares) {
        public Arm {
            if (n < 0 || !Double.isFinite(sum) || !Double.isFinite(sumOfSquares) || sumOfSquares < 0) {
                throw new IllegalArgumentException("an arm needs n ≥ 0 and finite sums, not " + n + ", " + sum + ", " + sumOfSquares);
            }
        }

        double mean() {
            return n == 0 ? 0 : sum / n;
        }

        /** Variance of one observation. */
        double variance(Metric metric) {
            if (metric == Metric.RATE) {
                // counts: variance equals the mean; half an event added so that an arm with no event
                // yet is not taken as certain (a zero variance would make any difference decisive)
                return (Math.max(sum, 0) + 0.5) / Math.max(n, 1);
            }
            if (n < 2) {
                return Double.POSITIVE_INFINITY;
            }
            double mean = mean();
            return Math.max(sumOfSquares - n * mean * mean, 0) / (n - 1);
        }
    }

    /**
     * How much worse the treatment may be before it counts as a regression: an absolute difference
     * of the metric, or a fraction of the control's value (0.1: ten per cent worse).
     */
    public record Tolerance(double amount, boolean relative) {
        public Tolerance {
            if (!Double.isFinite(amount) || amount < 0) {
                throw new IllegalArgumentException("a tolerance is a finite amount ≥ 0, not " + amount);
            }
        }

        public static Tolerance absolute(double amount) {
            return new Tolerance(amount, false);
        }

        public static Tolerance relative(double fraction) {
            return new Tolerance(fraction, true);
        }

        double of(double controlMean) {
            return relative ? amount * Math.abs(controlMean) : amount;
        }
    }

    /** What one look at the data found. */
    public enum Verdict {
        /** An arm has fewer observations than the guard's minimum sample. */
        TOO_FEW,
        /** No regression beyond the tolerance can be claimed (yet). */
        NO_REGRESSION,
        /** The treatment is worse than the control by more than the tolerance, at level α. */
        REGRESSION
    }

    /**
     * The evidence behind a verdict: both means, the worsening (treatment minus control, signed so
     * that positive is worse) with its always-valid interval, the tolerance it was held to, and the
     * mixture likelihood ratio's logarithm against "worse by exactly the tolerance".
     */
    public record Evidence(Verdict verdict, long controlN, long treatmentN, double controlMean, double treatmentMean,
                           double worsening, double lower, double upper, double tolerance, double logLikelihoodRatio) {
    }

    private SequentialComparison() {
    }

    /**
     * Compares the arms. A regression is called when the whole always-valid interval for the
     * worsening lies above the tolerance.
     *
     * @param alpha      the chance of calling a regression that is not there, over all looks (e.g. 0.05)
     * @param minSample  observations each arm needs before any verdict but {@link Verdict#TOO_FEW}
     */
    public static Evidence compare(Arm control, Arm treatment, Metric metric, Bad bad, Tolerance tolerance,
                                   double alpha, long minSample) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha is a probability between 0 and 1, not " + alpha);
        }
        double sign = bad == Bad.HIGHER ? 1 : -1;
        double controlMean = control.mean();
        double treatmentMean = treatment.mean();
        double worsening = sign * (treatmentMean - controlMean);
        double allowed = tolerance.of(controlMean);
        if (control.n() < Math.max(minSample, 2) || treatment.n() < Math.max(minSample, 2)) {
            return new Evidence(Verdict.TOO_FEW, control.n(), treatment.n(), controlMean, treatmentMean, worsening,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, allowed, 0);
        }
        double v = control.variance(metric) / control.n() + treatment.variance(metric) / treatment.n();
        if (!Double.isFinite(v) || v <= 0) {
            return new Evidence(Verdict.NO_REGRESSION, control.n(), treatment.n(), controlMean, treatmentMean, worsening,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, allowed, 0);
        }
        double tau2 = mixingVariance(controlMean, allowed, v);
        double halfWidth = Math.sqrt(v * (v + tau2) / tau2 * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
        double lower = worsening - halfWidth;
        double upper = worsening + halfWidth;
        double excess = worsening - allowed;
        double logRatio = 0.5 * Math.log(v / (v + tau2)) + tau2 * excess * excess / (2 * v * (v + tau2));
        Verdict verdict = lower > allowed ? Verdict.REGRESSION : Verdict.NO_REGRESSION;
        return new Evidence(verdict, control.n(), treatment.n(), controlMean, treatmentMean, worsening, lower, upper,
                allowed, excess > 0 ? logRatio : 0);
    }

    /**
     * The mixing distribution's variance, which decides what size of difference the test finds
     * fastest: differences of a quarter of the control's value or the tolerance, whichever is
     * larger, and never below the current variance (which would make the interval needlessly wide
     * early on). Strictly, α holds for a choice fixed in advance; this one follows the control's
     * mean as it settles, and the simulation in the tests shows false alarms staying well within α.
     */
    private static double mixingVariance(double controlMean, double tolerance, double v) {
        double scale = Math.max(Math.abs(controlMean) * 0.25, tolerance);
        return Math.max(scale * scale, v);
    }
}
