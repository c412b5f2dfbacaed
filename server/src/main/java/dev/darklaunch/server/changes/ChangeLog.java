package dev.darklaunch.server.changes;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * Records, inside the transaction of a change, that an environment's SDK-visible state moved to
 * a new revision and which flags or segments it touched, then wakes every server instance with
 * {@code pg_notify}. The notification carries only "environment:revision"; instances read what
 * changed from the change log, so a lost notification loses nothing.
 */
public final class ChangeLog {

    public static final String CHANNEL = "darklaunch_changes";

    private static final String BUMP = """
            WITH bumped AS (
                UPDATE environments SET revision = revision + 1 WHERE id = $1 RETURNING id, revision
            ), logged AS (
                INSERT INTO change_log (environment_id, revision, kind, key)
                SELECT bumped.id, bumped.revision, $2, unnest($3::text[]) FROM bumped
                RETURNING environment_id, revision
            )
            SELECT l.revision FROM (SELECT DISTINCT environment_id, revision FROM logged) l
            CROSS JOIN LATERAL (SELECT pg_notify('darklaunch_changes', l.environment_id || ':' || l.revision)) notified""";

    private static final String BUMP_EVERYWHERE = """
            WITH locked AS (
                SELECT id FROM environments WHERE project_id = $1 ORDER BY id FOR UPDATE
            ), bumped AS (
                UPDATE environments e SET revision = e.revision + 1 FROM locked l WHERE e.id = l.id RETURNING e.id, e.revision
            ), logged AS (
                INSERT INTO change_log (environment_id, revision, kind, key) SELECT b.id, b.revision, $2, $3 FROM bumped b
            )
            SELECT count(*) AS environments FROM bumped b
            CROSS JOIN LATERAL (SELECT pg_notify('darklaunch_changes', b.id || ':' || b.revision)) notified""";

    private static final String BUMP_EACH = """
            WITH entries AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) AS c(environment_id, kind, key)
            ), locked AS (
                SELECT id FROM environments WHERE id IN (SELECT environment_id FROM entries) ORDER BY id FOR UPDATE
            ), bumped AS (
                UPDATE environments e SET revision = e.revision + 1 FROM locked l WHERE e.id = l.id RETURNING e.id, e.revision
            ), logged AS (
                INSERT INTO change_log (environment_id, revision, kind, key)
                SELECT b.id, b.revision, c.kind, c.key FROM bumped b JOIN entries c ON c.environment_id = b.id
            )
            SELECT count(*) AS environments FROM bumped b
            CROSS JOIN LATERAL (SELECT pg_notify('darklaunch_changes', b.id || ':' || b.revision)) notified""";

    /** A flag or segment that a change touched in one environment. */
    public record Entry(long environmentId, String kind, String key) {
    }

    private ChangeLog() {
    }

    /**
     * Records a change of a project-wide definition (a flag or segment) in every environment of
     * the project, in one statement. The environments are locked in id order first, so that two
     * such changes at once never deadlock.
     */
    public static Future<Void> recordEverywhere(SqlClient tx, long projectId, String kind, String key) {
        return tx.preparedQuery(BUMP_EVERYWHERE).execute(Tuple.of(projectId, kind, key)).mapEmpty();
    }

    /** Bumps the environment's revision once for all the given keys; returns the new revision. */
    public static Future<Long> record(SqlClient tx, long environmentId, String kind, List<String> keys) {
        return tx.preparedQuery(BUMP)
                .execute(Tuple.tuple().addLong(environmentId).addString(kind).addArrayOfString(keys.toArray(String[]::new)))
                .map(rows -> rows.iterator().next().getLong("revision"));
    }

    /**
     * Records changes across environments, each environment's as one revision (its SDKs get one
     * patch), in one statement whatever their number. The environments are locked in id order
     * first, as in {@link #recordEverywhere}. Each entry at most once; none: nothing happens.
     */
    public static Future<Void> recordAll(SqlClient tx, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery(BUMP_EACH)
                .execute(Tuple.tuple()
                        .addArrayOfLong(entries.stream().map(Entry::environmentId).toArray(Long[]::new))
                        .addArrayOfString(entries.stream().map(Entry::kind).toArray(String[]::new))
                        .addArrayOfString(entries.stream().map(Entry::key).toArray(String[]::new)))
                .mapEmpty();
    }
}
