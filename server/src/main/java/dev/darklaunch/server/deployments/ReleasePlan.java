package dev.darklaunch.server.deployments;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.Times;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A release plan: the steps that raise a deployment's flags to ever larger shares of contexts,
 * each at a given time or an interval after the step before. Validated as a whole before anything
 * is written: percentages above 0, at most 100 and rising; times rising; every step after the
 * first says when.
 */
record ReleasePlan(List<Step> steps) {

    static final int MAX_STEPS = 20;
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofDays(90);

    /** One step: the share in thousandths of a percent, and when (both null: as soon as it is reached). */
    record Step(int weight, OffsetDateTime at, Duration after) {
        Step {
            at = at == null ? null : at.withOffsetSameInstant(ZoneOffset.UTC); // one instant, one value
        }
    }

    /** The body of {@code POST …/release}: no steps means everything on at once. */
    record Request(List<StepRequest> steps) {
    }

    record StepRequest(BigDecimal percentage, String at, String after) {
    }

    ReleasePlan {
        steps = List.copyOf(steps);
    }

    static ReleasePlan of(Request request) {
        if (request == null || request.steps() == null || request.steps().isEmpty()) {
            return new ReleasePlan(List.of(new Step(ReleaseMath.EVERYONE, null, null)));
        }
        List<StepRequest> requested = request.steps();
        if (requested.size() > MAX_STEPS) {
            throw Failure.invalid("steps", "a release plan has at most " + MAX_STEPS + " steps");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            StepRequest step = requested.get(i);
            String field = "steps[" + i + "]";
            if (step == null) {
                throw Failure.invalid(field, "a step is an object with a percentage and, after the first, 'at' or 'after'");
            }
            int weight = weight(field + ".percentage", step.percentage());
            OffsetDateTime at = at(field + ".at", step.at());
            Duration after = after(field + ".after", step.after());
            if (at != null && after != null) {
                throw Failure.invalid(field, "a step has 'at' (a time) or 'after' (an interval), not both");
            }
            if (i > 0) {
                Step previous = steps.get(i - 1);
                if (at == null && after == null) {
                    throw Failure.invalid(field, "every step after the first needs 'at' (a time) or 'after' (an interval)");
                }
                if (weight <= previous.weight()) {
                    throw Failure.invalid(field + ".percentage", "steps overlap: each step must raise the percentage (step "
                            + (i + 1) + " has " + format(weight) + " %, the step before " + format(previous.weight()) + " %)");
                }
                if (at != null && previous.after() != null) {
                    throw Failure.invalid(field + ".at", "a step at a fixed time cannot follow a step that waits an interval:"
                            + " the plan could not say which comes first; use 'after' here too");
                }
                if (at != null && previous.at() != null && !at.isAfter(previous.at())) {
                    throw Failure.invalid(field + ".at", "steps overlap: each step's time must be later than the step before");
                }
            }
            steps.add(new Step(weight, at, after));
        }
        return new ReleasePlan(steps);
    }

    private static int weight(String field, BigDecimal percentage) {
        if (percentage == null) {
            throw Failure.invalid(field, "percentage is required: above 0 and at most 100");
        }
        if (percentage.signum() <= 0 || percentage.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw Failure.invalid(field, "percentage must be above 0 and at most 100, not " + shown(percentage));
        }
        BigDecimal thousandths = percentage.movePointRight(3);
        if (thousandths.stripTrailingZeros().scale() > 0) {
            throw Failure.invalid(field, "percentage has at most three decimals (0.001 % is the finest share)");
        }
        return thousandths.intValueExact();
    }

    private static OffsetDateTime at(String field, String text) {
        if (text == null) {
            return null;
        }
        return Times.parse(field, text);
    }

    private static Duration after(String field, String text) {
        if (text == null) {
            return null;
        }
        Duration after;
        try {
            after = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw Failure.invalid(field, "after must be an ISO-8601 interval such as PT30M or P1D");
        }
        if (after.compareTo(MIN_INTERVAL) < 0 || after.compareTo(MAX_INTERVAL) > 0) {
            throw Failure.invalid(field, "after must be from 1 second to 90 days");
        }
        return after;
    }

    /**
     * A number as the caller wrote it, in plain digits when it has few: the plain form of a number
     * such as 1e300 has hundreds of digits, and of a BigDecimal's largest, billions.
     */
    private static String shown(BigDecimal number) {
        boolean few = Math.abs((long) number.precision() - number.scale()) <= 30 && Math.abs((long) number.scale()) <= 30;
        return few ? number.toPlainString() : number.toString();
    }

    static String format(int weight) {
        return BigDecimal.valueOf(weight, 3).stripTrailingZeros().toPlainString();
    }
}
