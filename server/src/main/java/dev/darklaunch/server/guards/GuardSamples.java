package dev.darklaunch.server.guards;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what SDKs reported for a guarded flag since a guard started, summed per arm: the
 * treatment is the contexts served the released variation, the control every other variation.
 * Samples come in per minute, so the minute a guard started counts whole.
 */
public final class GuardSamples {

    /** An event's sums in one arm: how many, the sum of their values and of their squares. */
    public record EventSums(long count, double sum, double sumOfSquares) {
        public static final EventSums NONE = new EventSums(0, 0, 0);
    }

    /** One arm: exposures of the flag, and the sums of each event asked for (absent: none seen). */
    public record ArmSamples(long exposures, Map<String, EventSums> events) {
        public ArmSamples {
            events = Map.copyOf(events);
        }

        public EventSums event(String name) {
            return events.getOrDefault(name, EventSums.NONE);
        }
    }

    /** Both arms of a flag. */
    public record Samples(ArmSamples control, ArmSamples treatment) {
    }

    private static final String SUMS = """
            SELECT variation = $3 AS treatment, NULL AS event_name, sum(exposures) AS n, NULL::float8 AS value_sum,
                   NULL::float8 AS value_square_sum
            FROM guard_exposures WHERE environment_id = $1 AND flag_key = $2 AND minute >= date_trunc('minute', $4::timestamptz)
            GROUP BY 1
            UNION ALL
            SELECT variation = $3, event_name, sum(count), sum(value_sum), sum(value_square_sum)
            FROM guard_events WHERE environment_id = $1 AND flag_key = $2 AND minute >= date_trunc('minute', $4::timestamptz)
              AND event_name = ANY ($5)
            GROUP BY 1, 2""";

    private GuardSamples() {
    }

    /**
     * The samples of a flag in an environment since {@code since}, for these events.
     *
     * @param treatment the index of the released variation
     */
    public static Future<Samples> since(SqlClient client, long environmentId, String flagKey, int treatment,
                                        OffsetDateTime since, List<String> events) {
        return client.preparedQuery(SUMS)
                .execute(Tuple.tuple().addLong(environmentId).addString(flagKey).addInteger(treatment).addOffsetDateTime(since)
                        .addArrayOfString(events.toArray(String[]::new)))
                .map(rows -> {
                    long[] exposures = new long[2];
                    List<Map<String, EventSums>> sums = List.of(new HashMap<>(), new HashMap<>());
                    for (Row row : rows) {
                        int arm = row.getBoolean("treatment") ? 1 : 0;
                        long n = saturated(row.getNumeric("n") == null ? null : row.getBigDecimal("n"));
                        if (row.getString("event_name") == null) {
                            exposures[arm] = n;
                        } else {
                            sums.get(arm).put(row.getString("event_name"), new EventSums(n, finite(row.getDouble("value_sum")),
                                    Math.max(0, finite(row.getDouble("value_square_sum")))));
                        }
                    }
                    return new Samples(new ArmSamples(exposures[0], sums.get(0)), new ArmSamples(exposures[1], sums.get(1)));
                });
    }

    /** Sums of bigint are numeric in PostgreSQL: absurdly many reports must not overflow into a negative count. */
    private static long saturated(BigDecimal sum) {
        if (sum == null || sum.signum() < 0) {
            return 0;
        }
        return sum.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : sum.longValue();
    }

    private static double finite(Double value) {
        return value == null || !Double.isFinite(value) ? 0 : value;
    }
}
