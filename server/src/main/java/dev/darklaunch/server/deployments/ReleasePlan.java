package dev.darklaunch.server.deployments;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.guards.GuardSpec;
import dev.darklaunch.server.guards.InvalidGuard;
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
 * each at a given time or an interval after the step before, and the guards that watch it (of the
 * whole release, or from a step on). Validated as a whole before anything is written: percentages
 * above 0, at most 100 and rising; times rising; every step after the first says when; guards
 * well defined, on a plan with a step for them to hold back.
 */
record ReleasePlan(List<Step> steps, List<PlannedGuard> guards) {

    static final int MAX_STEPS = 20;
    static final int MAX_GUARDS = 10;
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofDays(90);

    /** One step: the share in thousandths of a percent, and when (both null: as soon as it is reached). */
    record Step(int weight, OffsetDateTime at, Duration after) {
        Step {
            at = at == null ? null : at.withOffsetSameInstant(ZoneOffset.UTC); // one instant, one value
        }
    }

    /**
     * A guard of the plan: of the whole release ({@code step} null: it counts from the start) or of
     * a step (from 0: it counts from when that step is applied). Either holds back every later step.
     */
    record PlannedGuard(Integer step, GuardSpec spec) {
    }

    /** The body of {@code POST …/release}: no steps means everything on at once. */
    record Request(List<StepRequest> steps, List<GuardSpec.Definition> guards) {
        Request(List<StepRequest> steps) {
            this(steps, null);
        }
    }

    record StepRequest(BigDecimal percentage, String at, String after, List<GuardSpec.Definition> guards) {
        StepRequest(BigDecimal percentage, String at, String after) {
            this(percentage, at, after, null);
        }
    }

    ReleasePlan {
        steps = List.copyOf(steps);
        guards = List.copyOf(guards);
    }

    ReleasePlan(List<Step> steps) {
        this(steps, List.of());
    }

    /** The same plan watched by these guards instead. */
    ReleasePlan withGuards(List<PlannedGuard> other) {
        return new ReleasePlan(steps, other);
    }

    static ReleasePlan of(Request request) {
        List<Step> steps = steps(request);
        List<PlannedGuard> guards = new ArrayList<>();
        if (request != null) {
            guards(guards, "guards", request.guards(), null, steps.size());
            for (int i = 0; request.steps() != null && i < request.steps().size(); i++) {
                guards(guards, "steps[" + i + "].guards", request.steps().get(i).guards(), i, steps.size());
            }
        }
        return new ReleasePlan(steps, guards);
    }

    private static void guards(List<PlannedGuard> into, String field, List<GuardSpec.Definition> definitions, Integer step,
                               int stepCount) {
        if (definitions == null || definitions.isEmpty()) {
            return;
        }
        if (stepCount < 2) {
            throw Failure.invalid(field, "guards hold back the later steps of a plan, and a plan of one step has none:"
                    + " give the release at least two steps (for example 10 % then 100 %)");
        }
        if (step != null && step == stepCount - 1) {
            throw Failure.invalid(field, "the last step has no step after it to hold back; put this guard on an earlier step"
                    + " or on the release");
        }
        for (int i = 0; i < definitions.size(); i++) {
            if (into.size() == MAX_GUARDS) {
                throw Failure.invalid(field, "a release has at most " + MAX_GUARDS + " guards");
            }
            into.add(new PlannedGuard(step, guard(field + "[" + i + "]", definitions.get(i))));
        }
    }

    /** A guard definition validated, or Invalid naming the field at fault. */
    static GuardSpec guard(String field, GuardSpec.Definition definition) {
        try {
            return GuardSpec.of(definition);
        } catch (InvalidGuard e) {
            throw Failure.invalid(e.field().isEmpty() ? field : field + "." + e.field(), e.getMessage());
        }
    }

    private static List<Step> steps(Request request) {
        if (request == null || request.steps() == null || request.steps().isEmpty()) {
            return List.of(new Step(ReleaseMath.EVERYONE, null, null));
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
        return steps;
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
