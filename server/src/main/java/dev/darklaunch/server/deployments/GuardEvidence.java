package dev.darklaunch.server.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.darklaunch.server.guards.GuardSpec;
import dev.darklaunch.server.guards.SequentialComparison.Evidence;

import java.util.Locale;

/**
 * What a guard found at a look, as the API shows it, the audit log keeps it and a chart draws
 * it: the verdict, on which flag, each arm's sample and value (a rate, ratio or mean), the
 * estimated worsening of the treatment (positive: worse) with its always-valid interval (absent
 * while it is unbounded), the tolerance it is held to, the mixture likelihood ratio's logarithm,
 * α, the minimum sample, and a sentence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record GuardEvidence(String verdict, String flag, ArmState control, ArmState treatment, double estimate, Double lower,
                     Double upper, double tolerance, double statistic, double alpha, long minSample, String summary) {

    /** One arm: observations (exposures, denominator events or measured values), the events counted (rates), the value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ArmState(long n, Long events, double value) {
    }

    static GuardEvidence of(GuardSpec spec, String flag, Evidence e) {
        boolean counted = spec.kind() != GuardSpec.Kind.MEAN;
        ArmState control = new ArmState(e.controlN(), counted ? Math.round(e.controlMean() * e.controlN()) : null, e.controlMean());
        ArmState treatment = new ArmState(e.treatmentN(), counted ? Math.round(e.treatmentMean() * e.treatmentN()) : null,
                e.treatmentMean());
        return new GuardEvidence(e.verdict().name().toLowerCase(Locale.ROOT), flag, control, treatment, e.worsening(),
                finite(e.lower()), finite(e.upper()), e.tolerance(), e.logLikelihoodRatio(), spec.alpha(), spec.minSample(),
                summary(spec, flag, e));
    }

    /** "guard 'errors' …": what the guard found, in a sentence a person can read in the timeline. */
    static String summary(GuardSpec spec, String flag, Evidence e) {
        String guard = "guard '" + spec.name() + "'";
        String unit = switch (spec.kind()) {
            case RATE -> "exposures";
            case RATIO -> spec.per() + " events";
            case MEAN -> spec.event() + " values";
        };
        return switch (e.verdict()) {
            case TOO_FEW -> guard + " waits for samples on " + flag + ": " + e.treatmentN() + " of " + spec.minSample() + " "
                    + unit + " with the release, " + e.controlN() + " of " + spec.minSample() + " without";
            case NO_REGRESSION -> guard + " sees no regression on " + flag + ": " + spec.describeMetric() + " "
                    + value(spec, e.treatmentMean()) + " with the release against " + value(spec, e.controlMean()) + " without ("
                    + e.treatmentN() + " and " + e.controlN() + " " + unit + ")";
            case REGRESSION -> guard + " found a regression on " + flag + ": " + spec.describeMetric() + " "
                    + value(spec, e.treatmentMean()) + " with the release against " + value(spec, e.controlMean()) + " without ("
                    + e.treatmentN() + " and " + e.controlN() + " " + unit + "); worse by " + difference(spec, e.worsening())
                    + ", always-valid interval " + difference(spec, e.lower()) + " to " + difference(spec, e.upper())
                    + ", beyond the tolerated " + difference(spec, e.tolerance()) + " (α " + number(spec.alpha()) + ")";
        };
    }

    private static String value(GuardSpec spec, double value) {
        return spec.kind() == GuardSpec.Kind.MEAN ? number(value) : String.format(Locale.ROOT, "%.2f %%", value * 100);
    }

    private static String difference(GuardSpec spec, double value) {
        return spec.kind() == GuardSpec.Kind.MEAN ? number(value) : String.format(Locale.ROOT, "%.2f points", value * 100);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
