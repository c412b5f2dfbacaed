package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * Model validation for the write paths, never on an event loop. Validating a rule compiles its
 * regular expressions: each is bounded before compiling ({@link ModelValidator#MAX_PATTERN_SIZE}),
 * but the largest allowed configuration still takes milliseconds to compile, and an event loop
 * serves every other request meanwhile. So validation, and anything else that compiles a pattern,
 * runs on a worker thread.
 */
public final class Validation {

    private Validation() {
    }

    /** Runs {@code work} on a worker thread (unordered: one slow validation does not queue others behind it). */
    public static <T> Future<T> onWorker(Callable<T> work) {
        Context context = Vertx.currentContext();
        if (context == null) { // not called from Vert.x (tests of pure code): run here
            try {
                return Future.succeededFuture(work.call());
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
        }
        return context.executeBlocking(work, false);
    }

    /** {@link ModelValidator#validateConfig} on a worker thread. */
    public static Future<Void> config(Flag flag, FlagConfig config) {
        return onWorker(() -> {
            ModelValidator.validateConfig(flag, config);
            return null;
        });
    }

    /** {@link ModelValidator#validateSegmentConfig} on a worker thread. */
    public static Future<Void> segmentConfig(SegmentConfig config) {
        return onWorker(() -> {
            ModelValidator.validateSegmentConfig(config);
            return null;
        });
    }

    /**
     * Refuses a change to one environment that breaks the rules of {@link EnvironmentCheck} (a
     * prerequisite cycle, too many prerequisite evaluations, too costly an evaluation) — for the
     * changed flag, or for any other flag that did not break them before (say, one that requires
     * the changed flag). Reads the environment in the caller's transaction, checks on a worker.
     *
     * @param changedFlag the key of the flag being changed, or null for a segment
     * @param field       the field to name when another flag would break a rule
     * @param relation    how other flags relate to the change, e.g. "requires this flag"
     */
    public static Future<Void> environment(SqlClient tx, Scope scope, UnaryOperator<EnvironmentData> change, String changedFlag,
                                           String field, String relation) {
        return EnvironmentDataStore.load(tx, scope)
                .compose(before -> onWorker(() -> compare(before, change.apply(before), changedFlag, field, relation)));
    }

    /** The same, for an environment read before and after a change of one flag (or segment, if {@code changedFlag} is null). */
    public static Future<Void> environment(EnvironmentData before, EnvironmentData after, String changedFlag, String field,
                                           String relation) {
        return onWorker(() -> compare(before, after, changedFlag, field, relation));
    }

    /** The same, for an environment read before and after a change (an import that changes many flags). */
    public static Future<Void> environment(EnvironmentData before, EnvironmentData after, String field, String relation) {
        return onWorker(() -> compare(before, after, null, field, relation));
    }

    private static Void compare(EnvironmentData before, EnvironmentData changed, String changedFlag, String field, String relation) {
        Map<String, EnvironmentCheck.Problem> after = EnvironmentCheck.check(changed).problems();
        if (changedFlag != null && after.containsKey(changedFlag)) {
            EnvironmentCheck.Problem problem = after.get(changedFlag);
            throw Failure.invalid(problem.field(), problem.message());
        }
        if (after.isEmpty()) {
            return null;
        }
        // flags that broke a rule before this change (data from before the rules) do not block it
        Map<String, EnvironmentCheck.Problem> was = EnvironmentCheck.check(before).problems();
        for (String key : new TreeSet<>(after.keySet())) {
            if (!was.containsKey(key)) {
                throw Failure.invalid(field, "flag '" + key + "' " + relation + ", and with this change: "
                        + after.get(key).field() + " " + after.get(key).message());
            }
        }
        return null;
    }
}
