package dev.darklaunch.server.feed;

import io.vertx.core.Future;
import dev.darklaunch.server.tracking.EventSum;
import dev.darklaunch.server.tracking.EventSumStore;
import dev.darklaunch.server.tracking.GuardSample;
import dev.darklaunch.server.tracking.GuardSampleStore;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;

/**
 * Evaluation counts reported by SDKs: per flag and environment, how often it was evaluated and
 * when last (the server's time of the report, so SDK clocks cannot move it). Only flags that exist
 * are recorded, so a token holder cannot fill the table with made-up keys. A count saturates at
 * the largest bigint instead of overflowing: an overflow would fail every later report of the flag.
 */
public final class UsageStore {

    private final Pool pool;
    private final GuardSampleStore guardSamples;

    public UsageStore(Pool pool, GuardSampleStore guardSamples) {
        this.pool = pool;
        this.guardSamples = guardSamples;
    }

    /**
     * Records one SDK report: evaluation counts, tracked-event sums and what guarded flags
     * measured, in one transaction, so that a report the SDK sends again after a failure is never
     * half counted twice.
     */
    public Future<Void> record(EnvironmentKey environment, Map<String, Long> evaluations, List<EventSum> events,
                               List<GuardSample> guarded) {
        if (evaluations.isEmpty() && events.isEmpty() && guarded.isEmpty()) {
            return Future.succeededFuture();
        }
        return pool.withTransaction(tx -> record(tx, environment, evaluations)
                .compose(v -> EventSumStore.record(tx, environment.project(), environment.environment(), events))
                .compose(v -> guardSamples.record(tx, environment.project(), environment.environment(), guarded)));
    }

    private static Future<Void> record(SqlClient tx, EnvironmentKey environment, Map<String, Long> evaluations) {
        if (evaluations.isEmpty()) {
            return Future.succeededFuture();
        }
        String[] keys = evaluations.keySet().toArray(String[]::new);
        Long[] counts = new Long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            counts[i] = evaluations.get(keys[i]);
        }
        return tx.preparedQuery("""
                        INSERT INTO flag_usage (environment_id, flag_key, evaluations, last_evaluated_at)
                        SELECT e.id, u.key, u.n, now()
                        FROM projects p
                        JOIN environments e ON e.project_id = p.id AND e.key = $2
                        CROSS JOIN unnest($3::text[], $4::bigint[]) AS u(key, n)
                        JOIN flags f ON f.project_id = p.id AND f.key = u.key
                        WHERE p.key = $1 AND u.n > 0
                        ON CONFLICT (environment_id, flag_key) DO UPDATE
                        SET evaluations = least(flag_usage.evaluations, 9223372036854775807 - excluded.evaluations)
                                          + excluded.evaluations,
                            last_evaluated_at = excluded.last_evaluated_at""")
                .execute(Tuple.tuple().addString(environment.project()).addString(environment.environment())
                        .addArrayOfString(keys).addArrayOfLong(counts))
                .mapEmpty();
    }
}
