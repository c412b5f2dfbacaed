package dev.darklaunch.server.flags;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each flag has gone unused, read on the database's clock ({@code now()}), so what the
 * flags list calls stale does not depend on the clock of whoever looks at it. A temporary flag is
 * stale once no SDK has reported evaluating it, in any environment, for {@link #STALE_DAYS} days —
 * or, when none ever did, once it is that old.
 */
public final class FlagUsageStore {

    /** Days without an SDK report after which a temporary flag is a candidate for removal. */
    public static final int STALE_DAYS = 7;

    /**
     * A flag's usage: when an SDK last reported evaluating it (absent: no report yet), whole days
     * since then (or since it was created, when no SDK reported it), and whether it is stale.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Usage(OffsetDateTime lastEvaluatedAt, int unusedDays, boolean stale) {
    }

    private final Pool pool;
    private final long clockOffsetMillis;

    /**
     * @param clockOffset added to the database's clock when judging age; zero but in tests that move
     *                    the server's clock forward ({@code Config#clockOffset})
     */
    public FlagUsageStore(Pool pool, Duration clockOffset) {
        this.pool = pool;
        this.clockOffsetMillis = clockOffset.toMillis();
    }

    /** The usage of the project's flags with these keys, by key. */
    public Future<Map<String, Usage>> usage(String project, List<String> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return pool.preparedQuery("""
                        SELECT f.key, f.lifecycle, last.at AS last_evaluated_at,
                               floor(extract(epoch FROM now() + $3::bigint * interval '1 millisecond'
                                                        - coalesce(last.at, f.created_at)) / 86400)::int AS unused_days
                        FROM flags f JOIN projects p ON p.id = f.project_id
                        LEFT JOIN LATERAL (SELECT max(u.last_evaluated_at) AS at FROM flag_usage u
                                           JOIN environments e ON e.id = u.environment_id
                                           WHERE e.project_id = f.project_id AND u.flag_key = f.key) last ON true
                        WHERE p.key = $1 AND f.key = ANY ($2)""")
                .execute(Tuple.tuple().addString(project).addArrayOfString(keys.toArray(String[]::new)).addLong(clockOffsetMillis))
                .map(rows -> {
                    Map<String, Usage> usage = new HashMap<>();
                    rows.forEach(row -> {
                        int days = Math.max(0, row.getInteger("unused_days"));
                        usage.put(row.getString("key"), new Usage(row.getOffsetDateTime("last_evaluated_at"), days,
                                "temporary".equals(row.getString("lifecycle")) && days >= STALE_DAYS));
                    });
                    return usage;
                });
    }
}
