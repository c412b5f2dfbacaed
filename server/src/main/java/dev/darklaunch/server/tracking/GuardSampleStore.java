package dev.darklaunch.server.tracking;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes what SDKs measured for flags under an active guard into the per-minute tables
 * {@code guard_exposures} and {@code guard_events}: each report adds to the current minute's rows
 * (by the server's clock, so an SDK's clock cannot place a sample before its release began), in
 * one statement per table whatever the report's size. A count saturates at the largest bigint; a
 * sum stops growing near the largest double, because either overflow would fail every later
 * report of the minute.
 */
public final class GuardSampleStore {

    /** Adds the samples to the environment's current minute, within the caller's transaction. */
    public Future<Void> record(SqlClient tx, String project, String environment, List<GuardSample> samples) {
        if (samples.isEmpty()) {
            return Future.succeededFuture();
        }
        return exposures(tx, project, environment, samples).compose(v -> events(tx, project, environment, samples));
    }

    private static Future<Void> exposures(SqlClient tx, String project, String environment, List<GuardSample> samples) {
        List<String> flags = new ArrayList<>();
        List<Integer> variations = new ArrayList<>();
        List<Long> exposures = new ArrayList<>();
        for (GuardSample sample : samples) {
            if (sample.exposures() > 0) {
                flags.add(sample.flag());
                variations.add(sample.variation());
                exposures.add(sample.exposures());
            }
        }
        if (flags.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("""
                        INSERT INTO guard_exposures (environment_id, flag_key, variation, minute, exposures)
                        SELECT e.id, u.flag, u.variation, date_trunc('minute', now()), u.n
                        FROM projects p
                        JOIN environments e ON e.project_id = p.id AND e.key = $2
                        CROSS JOIN unnest($3::text[], $4::int[], $5::bigint[]) AS u(flag, variation, n)
                        WHERE p.key = $1
                        ON CONFLICT (environment_id, flag_key, variation, minute) DO UPDATE
                        SET exposures = least(guard_exposures.exposures, 9223372036854775807 - excluded.exposures)
                                        + excluded.exposures""")
                .execute(Tuple.tuple().addString(project).addString(environment).addArrayOfString(flags.toArray(String[]::new))
                        .addArrayOfInteger(variations.toArray(Integer[]::new)).addArrayOfLong(exposures.toArray(Long[]::new)))
                .mapEmpty();
    }

    private static Future<Void> events(SqlClient tx, String project, String environment, List<GuardSample> samples) {
        List<String> flags = new ArrayList<>();
        List<Integer> variations = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        List<Double> sums = new ArrayList<>();
        List<Double> squares = new ArrayList<>();
        for (GuardSample sample : samples) {
            for (GuardSample.EventSums event : sample.events()) {
                if (event.count() > 0) {
                    flags.add(sample.flag());
                    variations.add(sample.variation());
                    names.add(event.name());
                    counts.add(event.count());
                    sums.add(event.sum());
                    squares.add(event.sumOfSquares());
                }
            }
        }
        if (flags.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("""
                        INSERT INTO guard_events (environment_id, flag_key, variation, event_name, minute, count,
                                                  value_sum, value_square_sum)
                        SELECT e.id, u.flag, u.variation, u.name, date_trunc('minute', now()), u.n, u.total, u.squares
                        FROM projects p
                        JOIN environments e ON e.project_id = p.id AND e.key = $2
                        CROSS JOIN unnest($3::text[], $4::int[], $5::text[], $6::bigint[], $7::float8[], $8::float8[])
                                   AS u(flag, variation, name, n, total, squares)
                        WHERE p.key = $1
                        ON CONFLICT (environment_id, flag_key, variation, event_name, minute) DO UPDATE
                        SET count = least(guard_events.count, 9223372036854775807 - excluded.count) + excluded.count,
                            value_sum = CASE WHEN abs(guard_events.value_sum) < 1e307
                                             THEN guard_events.value_sum + excluded.value_sum
                                             ELSE guard_events.value_sum END,
                            value_square_sum = CASE WHEN guard_events.value_square_sum < 1e307
                                                    THEN guard_events.value_square_sum + excluded.value_square_sum
                                                    ELSE guard_events.value_square_sum END""")
                .execute(Tuple.tuple().addString(project).addString(environment).addArrayOfString(flags.toArray(String[]::new))
                        .addArrayOfInteger(variations.toArray(Integer[]::new)).addArrayOfString(names.toArray(String[]::new))
                        .addArrayOfLong(counts.toArray(Long[]::new)).addArrayOfDouble(sums.toArray(Double[]::new))
                        .addArrayOfDouble(squares.toArray(Double[]::new)))
                .mapEmpty();
    }
}
