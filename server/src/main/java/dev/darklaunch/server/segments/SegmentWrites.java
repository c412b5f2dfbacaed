package dev.darklaunch.server.segments;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.changes.IfMatch;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Changes to segments: the rules and the transactions over {@link SegmentStore}. Each write is one
 * transaction and follows the flags' pattern, as a flat chain: scope → lock → If-Match → validate
 * → write → change log → audit → answer; the rows, the revision of each affected environment and
 * the audit event commit together or not at all.
 */
public final class SegmentWrites {

    private final Pool pool;
    private final SegmentStore segments;

    public SegmentWrites(Pool pool, SegmentStore segments) {
        this.pool = pool;
        this.segments = segments;
    }

    public Future<SegmentView> create(String actor, String project, Segment segment, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> segments.insert(tx, scope, segment)
                        .compose(v -> ChangeLog.recordEverywhere(tx, scope.projectId(), "segment", segment.key()))
                        .compose(v -> segments.find(tx, scope, segment.key(), false))
                        .compose(created -> AuditLog.append(tx, new Change(actor, "segment.create", project, null, "segment",
                                segment.key(), null, created.segment(), comment)).map(created))));
    }

    /** A segment locked for a change, in the scope it was found in. */
    private record Locked(Scope scope, SegmentView before) {
    }

    public Future<SegmentView> update(String actor, String project, String key, Segment segment, OptionalLong ifMatch,
                                      Optional<String> comment) {
        if (!key.equals(segment.key())) {
            return Future.failedFuture(Failure.invalid("key", "a segment's key cannot change (the path says '" + key + "')"));
        }
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> segments.find(tx, scope, key, true).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(v -> segments.update(tx, locked.scope(), segment))
                        .compose(v -> segments.find(tx, locked.scope(), key, false))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "segment.update", project, null,
                                "segment", key, locked.before().segment(), after.segment(), comment)).map(after))));
    }

    /** Deletes a segment unless a flag's rule still matches it. */
    public Future<Void> delete(String actor, String project, String key, OptionalLong ifMatch, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> segments.find(tx, scope, key, true).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(v -> notMatchedByAFlag(tx, locked.scope(), key))
                        .compose(v -> segments.delete(tx, locked.scope(), key))
                        .compose(v -> ChangeLog.recordEverywhere(tx, locked.scope().projectId(), "segment", key))
                        .compose(v -> AuditLog.append(tx, new Change(actor, "segment.delete", project, null,
                                "segment", key, locked.before().segment(), null, comment)))));
    }

    /** A segment's configuration locked for a change, in the scope it was found in. */
    private record LockedConfig(Scope scope, SegmentView.ConfigView before) {
    }

    public Future<SegmentView.ConfigView> putConfig(String actor, String project, String key, String environment,
                                                    SegmentConfig config, OptionalLong ifMatch, Optional<String> comment) {
        return Validation.segmentConfig(config).compose(valid -> pool.withTransaction(tx -> ProjectStore.scope(tx, project, environment)
                .compose(scope -> segments.config(tx, scope, key, true).map(before -> new LockedConfig(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        // the flags that match this segment must stay within the cost of one evaluation
                        .compose(v -> Validation.environment(tx, locked.scope(), data -> withConfig(data, key, config), null, "rules",
                                "matches this segment"))
                        .compose(v -> segments.writeConfig(tx, locked.scope(), key, config))
                        .compose(v -> ChangeLog.record(tx, locked.scope().environmentId(), "segment", List.of(key)))
                        .compose(revision -> segments.config(tx, locked.scope(), key, false))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "segment.config.update", project,
                                environment, "segment", key, locked.before().config(), after.config(), comment)).map(after)))));
    }

    private Future<Void> notMatchedByAFlag(SqlClient tx, Scope scope, String key) {
        return segments.matcher(tx, scope, key).compose(matcher -> matcher.isEmpty() ? Future.succeededFuture()
                : Future.failedFuture(Failure.conflict("flag '" + matcher.get().flag() + "' matches segment '" + key
                + "' in " + matcher.get().environment() + "; remove that rule first")));
    }

    private static EnvironmentData withConfig(EnvironmentData data, String key, SegmentConfig config) {
        List<EnvironmentSegment> segments = new ArrayList<>(data.segments().size());
        for (EnvironmentSegment segment : data.segments()) {
            segments.add(segment.key().equals(key) ? new EnvironmentSegment(key, config) : segment);
        }
        return new EnvironmentData(data.revision(), data.flags(), segments);
    }
}
