package dev.darklaunch.server.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Re-checks the credentials behind long-lived requests (event streams): a stream opened with a
 * session or token must end once that session ends or the token is revoked.
 */
public final class Credentials {

    private final Pool pool;
    private final SessionSettings settings;

    public Credentials(Pool pool, SessionSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /** Of the given session ids, those still live (not signed out, deleted or expired). */
    public Future<Set<Long>> liveSessions(Set<Long> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        return pool.preparedQuery("""
                        SELECT id FROM sessions WHERE id = ANY($1)
                          AND created_at > now() - make_interval(secs => $2::float8 / 1000)
                          AND last_seen_at > now() - make_interval(secs => $3::float8 / 1000)""")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)).addLong(settings.max().toMillis())
                        .addLong(settings.idle().plus(Duration.ofMinutes(1)).toMillis()))
                .map(rows -> {
                    Set<Long> live = new HashSet<>();
                    rows.forEach(row -> live.add(row.getLong("id")));
                    return live;
                });
    }

    /** Of the given token ids, those not revoked. */
    public Future<Set<Long>> activeTokens(Set<Long> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        return pool.preparedQuery("SELECT id FROM tokens WHERE id = ANY($1) AND revoked_at IS NULL")
                .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)))
                .map(rows -> {
                    Set<Long> active = new HashSet<>();
                    rows.forEach(row -> active.add(row.getLong("id")));
                    return active;
                });
    }
}
