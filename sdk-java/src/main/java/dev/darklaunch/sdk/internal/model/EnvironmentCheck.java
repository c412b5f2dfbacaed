package dev.darklaunch.sdk.internal.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The rules that need a whole environment, the same for the server (which refuses a change that
 * breaks them) and the SDK (which serves a flag that breaks them as MALFORMED_FLAG):
 * <ul>
 *   <li>prerequisites form no cycle (any depth of an acyclic chain is fine);
 *   <li>one evaluation of a flag triggers at most {@link #MAX_PREREQUISITE_EVALUATIONS}
 *       prerequisite evaluations — the number of paths from it through the prerequisite graph,
 *       since evaluation follows every path without memoising (so it allocates nothing);
 *   <li>one evaluation of a flag costs at most {@link EvaluationCost#MAX_EVALUATION_COST}: its
 *       own rules, the segments they name, and every prerequisite evaluation it triggers.
 * </ul>
 * A flag whose prerequisite breaks a rule breaks it too: its evaluation would reach that flag.
 * Linear in the size of the environment; iterative, so chains of any length are safe.
 */
public final class EnvironmentCheck {

    /** The most prerequisite evaluations one evaluation may trigger: every path counts, so a diamond counts twice. */
    public static final int MAX_PREREQUISITE_EVALUATIONS = 1_000;

    /** What is wrong with one flag: the field of its configuration, as the REST API names it, and why. */
    public record Problem(String field, String message) {
    }

    /**
     * The outcome: problems by flag key, each flag's cost and prerequisite evaluations (for flags
     * without a problem), and every flag key ordered so that a flag's prerequisites come before it.
     */
    public record Result(Map<String, Problem> problems, Map<String, Long> costs, Map<String, Long> evaluations,
                         List<String> order) {
    }

    /** What a check found for one flag: its problem (or null), else its cost and prerequisite evaluations. */
    public record Checked(Problem problem, long cost, long evaluations) {
    }

    private EnvironmentCheck() {
    }

    public static Result check(EnvironmentData data) {
        Map<String, Long> segmentCosts = new HashMap<>();
        for (EnvironmentSegment segment : data.segments()) {
            segmentCosts.put(segment.key(), EvaluationCost.ofSegment(segment.config()));
        }
        Map<String, FlagConfig> configs = new LinkedHashMap<>();
        for (EnvironmentFlag flag : data.flags()) {
            configs.put(flag.flag().key(), flag.config());
        }
        return new Walk(configs, key -> segmentCosts.getOrDefault(key, 1L), key -> null).run();
    }

    /**
     * Checks some flags of an environment whose other flags were checked before: {@code configs}
     * must hold every flag that requires one of them, directly or not (so no flag outside can
     * reach one inside, and their earlier results still hold). A patch checks only what it touches.
     *
     * @param segmentCost   the cost of testing a segment by key (1 for a segment the environment lacks)
     * @param checkedBefore the result for a flag outside {@code configs}, or null when the environment has no such flag
     */
    public static Result check(Map<String, FlagConfig> configs, ToLongFunction<String> segmentCost,
                               Function<String, Checked> checkedBefore) {
        return new Walk(configs, segmentCost, checkedBefore).run();
    }

    /** The result for one flag of a check. */
    public static Checked checked(Result result, String key) {
        Problem problem = result.problems().get(key);
        return problem != null ? new Checked(problem, 0, 0) : new Checked(null, result.costs().get(key), result.evaluations().get(key));
    }

    /** One depth-first walk over the prerequisite graph. */
    private static final class Walk {
        private final Map<String, FlagConfig> configs;
        private final ToLongFunction<String> segmentCosts;
        private final Function<String, Checked> checkedBefore;
        private final Map<String, Problem> problems = new HashMap<>();
        private final Map<String, Long> costs = new HashMap<>();
        private final Map<String, Long> evaluations = new HashMap<>();
        private final List<String> order = new ArrayList<>();
        private final Map<String, Boolean> onPath = new HashMap<>(); // true while on the path, false when done

        Walk(Map<String, FlagConfig> configs, ToLongFunction<String> segmentCosts, Function<String, Checked> checkedBefore) {
            this.configs = configs;
            this.segmentCosts = segmentCosts;
            this.checkedBefore = checkedBefore;
        }

        /** A flag on the walk's path, and the index of the prerequisite it follows next. */
        private static final class Frame {
            final String key;
            final List<Prerequisite> prerequisites;
            int next;

            Frame(String key, List<Prerequisite> prerequisites) {
                this.key = key;
                this.prerequisites = prerequisites;
            }
        }

        Result run() {
            for (String key : configs.keySet()) {
                if (!onPath.containsKey(key)) {
                    walkFrom(key);
                }
            }
            return new Result(problems, costs, evaluations, order);
        }

        private void walkFrom(String start) {
            Deque<Frame> path = new ArrayDeque<>();
            enter(path, start);
            while (!path.isEmpty()) {
                Frame frame = path.peek();
                if (frame.next < frame.prerequisites.size()) {
                    String required = frame.prerequisites.get(frame.next++).flag();
                    Boolean state = required == null ? Boolean.FALSE : onPath.get(required);
                    if (state == null && configs.containsKey(required)) {
                        enter(path, required);
                    } else if (Boolean.TRUE.equals(state)) {
                        cycle(path, required);
                    }
                } else {
                    path.pop();
                    finish(frame);
                }
            }
        }

        private void enter(Deque<Frame> path, String key) {
            onPath.put(key, true);
            path.push(new Frame(key, configs.get(key).prerequisites()));
        }

        /** Every flag on the path from {@code required} to the top is on a cycle. */
        private void cycle(Deque<Frame> path, String required) {
            List<Frame> members = new ArrayList<>();
            for (Frame frame : path) { // top first
                members.add(0, frame);
                if (frame.key.equals(required)) {
                    break;
                }
            }
            for (int j = 0; j < members.size(); j++) {
                StringBuilder shown = new StringBuilder(); // the cycle as seen from this member
                for (int k = 0; k < members.size(); k++) {
                    shown.append(members.get((j + k) % members.size()).key).append(" → ");
                }
                Frame member = members.get(j);
                shown.append(member.key);
                problems.putIfAbsent(member.key, new Problem("prerequisites[" + (member.next - 1) + "]",
                        "prerequisites would form a cycle: " + shown + "; a flag cannot require itself, directly or through others"));
            }
        }

        private void finish(Frame frame) {
            onPath.put(frame.key, false);
            order.add(frame.key);
            if (problems.containsKey(frame.key)) {
                return;
            }
            long cost = EvaluationCost.ofRules(configs.get(frame.key).rules(), segmentCosts);
            if (cost > EvaluationCost.MAX_EVALUATION_COST) {
                problems.put(frame.key, new Problem("rules", "one evaluation of these rules would cost " + cost
                        + " units (clause values, regular expression sizes and the segments they name); at most "
                        + EvaluationCost.MAX_EVALUATION_COST + " are allowed"));
                return;
            }
            long triggered = 0;
            for (int i = 0; i < frame.prerequisites.size(); i++) {
                String required = frame.prerequisites.get(i).flag();
                Checked before = required == null || configs.containsKey(required) ? null : checkedBefore.apply(required);
                if (required == null || (before == null && !configs.containsKey(required))) {
                    continue; // a missing prerequisite simply fails
                }
                String field = "prerequisites[" + i + "]";
                Problem broken = before != null ? before.problem() : problems.get(required);
                if (broken != null) {
                    problems.put(frame.key, new Problem(field, "requires flag '" + required
                            + "', which cannot be evaluated itself (" + broken.field() + " of that flag)"));
                    return;
                }
                triggered = EvaluationCost.add(triggered, 1 + (before != null ? before.evaluations() : evaluations.get(required)));
                cost = EvaluationCost.add(cost, before != null ? before.cost() : costs.get(required));
                if (triggered > MAX_PREREQUISITE_EVALUATIONS) {
                    problems.put(frame.key, new Problem(field, "one evaluation of '" + frame.key + "' would evaluate "
                            + (i + 1 < frame.prerequisites.size() ? "more than " : "") + triggered
                            + " prerequisites (every path through the prerequisites of prerequisites counts); at most "
                            + MAX_PREREQUISITE_EVALUATIONS + " are allowed"));
                    return;
                }
                if (cost > EvaluationCost.MAX_EVALUATION_COST) {
                    problems.put(frame.key, new Problem(field, "one evaluation of '" + frame.key + "' with its prerequisites would cost "
                            + (i + 1 < frame.prerequisites.size() ? "more than " : "") + cost + " units; at most "
                            + EvaluationCost.MAX_EVALUATION_COST + " are allowed"));
                    return;
                }
            }
            costs.put(frame.key, cost);
            evaluations.put(frame.key, triggered);
        }
    }
}
