package dev.darklaunch.server.feed;

import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.flags.FlagRows;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What the {@link PostgresChangeSource} reads: environments and their revisions, and what changed after a revision. */
public final class FeedStore {

    /** An environment and the revision the database has for it. */
    record EnvironmentRevision(long id, EnvironmentKey key, long revision) {
    }

    /**
     * What changed after a revision: a patch to the database's current revision, or — when the
     * change log cannot account for every revision in between — nothing, and the caller loads the
     * whole environment.
     */
    record Changes(long revision, Optional<EnvironmentPatch> patch, long committedAtMillis) {
    }

    private final Pool pool;

    public FeedStore(Pool pool) {
        this.pool = pool;
    }

    Future<List<EnvironmentRevision>> environments() {
        return pool.query("""
                        SELECT e.id, p.key AS project, e.key AS environment, e.revision
                        FROM environments e JOIN projects p ON p.id = e.project_id ORDER BY e.id""").execute()
                .map(rows -> {
                    List<EnvironmentRevision> list = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        list.add(new EnvironmentRevision(row.getLong("id"),
                                new EnvironmentKey(row.getString("project"), row.getString("environment")), row.getLong("revision")));
                    }
                    return list;
                });
    }

    /** Of the given token ids, those revoked. */
    Future<List<Long>> revoked(Set<Long> tokenIds) {
        if (tokenIds.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return pool.preparedQuery("SELECT id FROM tokens WHERE id = ANY($1) AND revoked_at IS NOT NULL")
                .execute(Tuple.tuple().addArrayOfLong(tokenIds.toArray(Long[]::new)))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    return ids;
                });
    }

    /** The changes after {@code after} up to the current revision, read in one consistent transaction. */
    Future<Changes> changesAfter(long environmentId, long after) {
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .compose(v -> tx.preparedQuery("SELECT revision FROM environments WHERE id = $1").execute(Tuple.of(environmentId)))
                .compose(rows -> {
                    long current = rows.size() == 0 ? after : rows.iterator().next().getLong("revision");
                    if (current <= after) {
                        return Future.succeededFuture(new Changes(current, Optional.empty(), 0));
                    }
                    return changes(tx, environmentId, after, current);
                }));
    }

    private static Future<Changes> changes(SqlClient tx, long environmentId, long after, long current) {
        return tx.preparedQuery("""
                        SELECT kind, key, revision, extract(epoch FROM changed_at) * 1000 AS at FROM change_log
                        WHERE environment_id = $1 AND revision > $2 AND revision <= $3""")
                .execute(Tuple.of(environmentId, after, current))
                .compose(rows -> {
                    Set<Long> revisions = new TreeSet<>();
                    Set<String> flagKeys = new TreeSet<>();
                    Set<String> segmentKeys = new TreeSet<>();
                    long committedAt = 0;
                    for (Row row : rows) {
                        revisions.add(row.getLong("revision"));
                        (row.getString("kind").equals("flag") ? flagKeys : segmentKeys).add(row.getString("key"));
                        committedAt = Math.max(committedAt, row.getNumeric("at").longValue());
                    }
                    if (revisions.size() != current - after) {
                        // a revision the change log does not explain: only a whole snapshot is safe
                        return Future.succeededFuture(new Changes(current, Optional.empty(), 0));
                    }
                    long at = committedAt;
                    return flags(tx, environmentId, flagKeys).compose(flags -> segments(tx, environmentId, segmentKeys)
                            .map(segments -> new Changes(current, Optional.of(new EnvironmentPatch(after, current, flags, segments,
                                    missing(flagKeys, flags.stream().map(f -> f.flag().key()).toList()),
                                    missing(segmentKeys, segments.stream().map(EnvironmentSegment::key).toList()))), at)));
                });
    }

    private static List<String> missing(Set<String> changed, List<String> present) {
        List<String> deleted = new ArrayList<>(changed);
        deleted.removeAll(present);
        return deleted;
    }

    private static Future<List<EnvironmentFlag>> flags(SqlClient tx, long environmentId, Set<String> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return tx.preparedQuery("""
                        SELECT c.config::text AS config, c.guarded, """ + FlagRows.COLUMNS + """
                         FROM flags f JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = $1
                        WHERE f.key = ANY($2) ORDER BY f.key""")
                .execute(Tuple.tuple().addLong(environmentId).addArrayOfString(keys.toArray(String[]::new)))
                .map(rows -> {
                    List<EnvironmentFlag> flags = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        flags.add(new EnvironmentFlag(FlagRows.flag(row), Json.read(row.getString("config"), FlagConfig.class),
                                row.getBoolean("guarded")));
                    }
                    return flags;
                });
    }

    private static Future<List<EnvironmentSegment>> segments(SqlClient tx, long environmentId, Set<String> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return tx.preparedQuery("""
                        SELECT s.key, c.config::text AS config FROM segments s
                        JOIN segment_configs c ON c.segment_id = s.id AND c.environment_id = $1
                        WHERE s.key = ANY($2) ORDER BY s.key""")
                .execute(Tuple.tuple().addLong(environmentId).addArrayOfString(keys.toArray(String[]::new)))
                .map(rows -> {
                    List<EnvironmentSegment> segments = new ArrayList<>(rows.size());
                    rows.forEach(row -> segments.add(new EnvironmentSegment(row.getString("key"),
                            Json.read(row.getString("config"), SegmentConfig.class))));
                    return segments;
                });
    }
}
