package dev.darklaunch.server.tracking;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Tracked events per environment, event name and minute. Reports add to a minute's row: several
 * SDK instances, and one SDK's later reports, share it. A count saturates at the largest bigint;
 * a sum stops growing near the largest double (each report's sum is at most {@link EventSum#MAX_SUM}),
 * because either overflow would fail every later report of the minute.
 */
public final class EventSumStore {

    private final Pool pool;

    public EventSumStore(Pool pool) {
        this.pool = pool;
    }

    /** Adds the sums to the environment's minutes, within the caller's transaction. */
    public static Future<Void> record(SqlClient tx, String project, String environment, List<EventSum> sums) {
        if (sums.isEmpty()) {
            return Future.succeededFuture();
        }
        String[] names = new String[sums.size()];
        OffsetDateTime[] minutes = new OffsetDateTime[sums.size()];
        Long[] counts = new Long[sums.size()];
        Double[] values = new Double[sums.size()];
        for (int i = 0; i < names.length; i++) {
            EventSum sum = sums.get(i);
            names[i] = sum.name();
            minutes[i] = sum.minute();
            counts[i] = sum.count();
            values[i] = sum.sum();
        }
        return tx.preparedQuery("""
                        INSERT INTO tracked_events (environment_id, minute, event_name, count, value_sum)
                        SELECT e.id, u.minute, u.name, u.n, u.total
                        FROM projects p
                        JOIN environments e ON e.project_id = p.id AND e.key = $2
                        CROSS JOIN unnest($3::text[], $4::timestamptz[], $5::bigint[], $6::float8[]) AS u(name, minute, n, total)
                        WHERE p.key = $1
                        ON CONFLICT (environment_id, minute, event_name) DO UPDATE
                        SET count = least(tracked_events.count, 9223372036854775807 - excluded.count) + excluded.count,
                            value_sum = CASE WHEN abs(tracked_events.value_sum) < 1e307
                                             THEN tracked_events.value_sum + excluded.value_sum
                                             ELSE tracked_events.value_sum END""")
                .execute(Tuple.tuple().addString(project).addString(environment).addArrayOfString(names)
                        .addArrayOfOffsetDateTime(minutes).addArrayOfLong(counts).addArrayOfDouble(values))
                .mapEmpty();
    }

    /** The environment's sums from {@code since} (inclusive) to {@code until} (exclusive), by minute then name. */
    public Future<List<EventSum>> read(long environmentId, OffsetDateTime since, OffsetDateTime until, String name, int limit) {
        return pool.preparedQuery("""
                        SELECT minute, event_name, count, value_sum FROM tracked_events
                        WHERE environment_id = $1 AND minute >= $2 AND minute < $3 AND ($4::text IS NULL OR event_name = $4)
                        ORDER BY minute, event_name LIMIT $5""")
                .execute(Tuple.of(environmentId, since, until, name, limit))
                .map(rows -> {
                    List<EventSum> sums = new ArrayList<>();
                    for (Row row : rows) {
                        sums.add(new EventSum(row.getString("event_name"), row.getOffsetDateTime("minute"),
                                row.getLong("count"), row.getDouble("value_sum")));
                    }
                    return sums;
                });
    }
}
