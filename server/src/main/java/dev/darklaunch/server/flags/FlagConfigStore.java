package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The store of flags' per-environment configurations: SQL only, each method one statement in the
 * caller's transaction ({@link ConfigStatements}). Rules (validation, who may do what) live in
 * {@link FlagWrites}; what these methods check is what only the locked rows can tell (the version
 * If-Match names, whether the flag exists).
 */
public final class FlagConfigStore {

    /**
     * A toggle's outcome: the configuration now, the scope it was found in, whether it was written,
     * and whether a running release ships the flag there.
     */
    record Toggled(ConfigView view, Scope scope, boolean written, boolean inRunningRelease) {
    }

    /**
     * Switches a flag on or off in one environment in one statement: locks the flag and its
     * configuration, checks If-Match (412), writes, bumps the revision, appends the change log and
     * the audit event. Already so: nothing is written, the configuration is returned as it is.
     */
    Future<Toggled> toggle(SqlClient tx, String actor, String project, String environment, String key, boolean on,
                            OptionalLong ifMatch, Optional<String> comment) {
        String action = on ? "flag.on" : "flag.off";
        return tx.preparedQuery(ConfigStatements.TOGGLE)
                .execute(Tuple.from(new Object[]{project, environment, key, on, ifMatch.isPresent() ? ifMatch.getAsLong() : null,
                        actor, action, comment.orElse(null)}))
                .compose(rows -> {
                    Row row = rows.iterator().next();
                    Optional<Failure> missing = missing(row, project, environment, key, "before_version");
                    if (missing.isPresent()) {
                        return Future.failedFuture(missing.get());
                    }
                    if (!row.getBoolean("version_matches")) {
                        return Future.failedFuture(Failure.versionMismatch(ifMatch.getAsLong(), row.getLong("before_version")));
                    }
                    boolean written = row.getValue("version") != null;
                    ConfigView view = new ConfigView(key, environment,
                            row.getLong(written ? "version" : "before_version"),
                            row.getOffsetDateTime(written ? "updated_at" : "before_updated_at"),
                            Json.read(row.getString(written ? "config" : "before_config"), FlagConfig.class));
                    return Future.succeededFuture(new Toggled(view,
                            new Scope(row.getLong("project_id"), project, row.getLong("environment_id"), environment), written,
                            row.getBoolean("in_running_release")));
                });
    }

    /**
     * A configuration write's outcome, for the caller to validate before it commits: the scope, the
     * flag, its configuration before (as locked) and after (null when If-Match named another
     * version: nothing was written), the environment as it was (the flag as locked) and whether a
     * running release ships the flag there.
     */
    record Replaced(Scope scope, Flag flag, ConfigView before, ConfigView after, EnvironmentData environment,
                    boolean inRunningRelease) {
    }

    /**
     * Replaces a flag's configuration in one environment in one statement ({@link ConfigStatements#WRITE_ONE}):
     * locks, checks If-Match, writes, bumps the revision, appends the change log and the audit
     * event, and reads the rest of the environment the validation needs. Fails with
     * {@link Failure.NotFound} for a missing project, environment or flag; a version mismatch is
     * the caller's to report (after validating, as a write refused before it was made would be).
     */
    Future<Replaced> replace(SqlClient tx, String actor, String project, String environment, String key,
                             FlagConfig config, OptionalLong ifMatch, Optional<String> comment, String action) {
        return tx.preparedQuery(ConfigStatements.WRITE_ONE)
                .execute(Tuple.from(new Object[]{project, environment, key, Json.write(config),
                        ifMatch.isPresent() ? ifMatch.getAsLong() : null, actor, action, comment.orElse(null)}))
                .compose(rows -> {
                    Row target = rows.iterator().next();
                    Optional<Failure> missing = missing(target, project, environment, key, "flag_id");
                    if (missing.isPresent()) {
                        return Future.failedFuture(missing.get());
                    }
                    Scope scope = new Scope(target.getLong("project_id"), project, target.getLong("environment_id"), environment);
                    Flag flag = FlagRows.flag(target);
                    FlagConfig was = Json.read(target.getString("config"), FlagConfig.class);
                    List<EnvironmentFlag> flags = new ArrayList<>();
                    List<EnvironmentSegment> segments = new ArrayList<>();
                    for (Row row : rows) {
                        switch (row.getString("row_kind")) {
                            // the target as locked, which may be newer than the statement's snapshot
                            case "flag" -> flags.add(row.getLong("flag_id").equals(target.getLong("flag_id"))
                                    ? new EnvironmentFlag(flag, was)
                                    : new EnvironmentFlag(FlagRows.flag(row), Json.read(row.getString("config"), FlagConfig.class)));
                            case "segment" -> segments.add(new EnvironmentSegment(row.getString("key"),
                                    Json.read(row.getString("config"), SegmentConfig.class)));
                            default -> {
                            }
                        }
                    }
                    ConfigView before = new ConfigView(key, environment, target.getLong("version"),
                            target.getOffsetDateTime("updated_at"), was);
                    ConfigView after = target.getValue("after_version") == null ? null : new ConfigView(key, environment,
                            target.getLong("after_version"), target.getOffsetDateTime("after_updated_at"),
                            Json.read(target.getString("after_config"), FlagConfig.class));
                    return Future.succeededFuture(new Replaced(scope, flag, before, after,
                            new EnvironmentData(0, flags, segments), target.getBoolean("in_running_release")));
                });
    }

    /**
     * Locks the configurations of these flags in the scope's environment, in key order (so that
     * concurrent writers of overlapping sets never deadlock). Keys without a flag are left out.
     */
    Future<List<LockedConfig>> lock(SqlClient tx, Scope scope, List<String> keys) {
        return tx.preparedQuery("SELECT f.id, " + FlagRows.COLUMNS + """
                        , c.config::text AS config, c.version, c.updated_at
                        FROM flags f JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = $2
                        WHERE f.project_id = $1 AND f.key = ANY ($3) ORDER BY f.key FOR UPDATE OF f, c""")
                .execute(Tuple.tuple().addLong(scope.projectId()).addLong(scope.environmentId())
                        .addArrayOfString(keys.toArray(String[]::new)))
                .map(rows -> {
                    List<LockedConfig> locked = new ArrayList<>();
                    for (Row row : rows) {
                        Flag flag = FlagRows.flag(row);
                        locked.add(new LockedConfig(row.getLong("id"), flag, new ConfigView(flag.key(), scope.environment(),
                                row.getInteger("version"), row.getOffsetDateTime("updated_at"),
                                Json.read(row.getString("config"), FlagConfig.class))));
                    }
                    return locked;
                });
    }

    /**
     * Writes validated, locked configurations of flags in the scope's environment as one revision
     * (SDKs get them as one patch and never see some applied and others not), in one statement:
     * the configurations, the revision, the change log and an audit event per configuration (as
     * part of {@code deployment}, if not null). Returns the written configurations in the order
     * given. Each flag at most once.
     */
    Future<List<ConfigView>> write(SqlClient tx, String actor, Scope scope, List<ConfigWrite> writes,
                                   Optional<String> comment, Long deployment) {
        if (writes.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        if (writes.stream().map(w -> w.current().flagId()).distinct().count() < writes.size()) { // one statement updates a row once
            return Future.failedFuture(new IllegalArgumentException("a write names each flag once"));
        }
        Tuple parameters = Tuple.tuple()
                .addLong(scope.environmentId())
                .addArrayOfLong(writes.stream().map(w -> w.current().flagId()).toArray(Long[]::new))
                .addArrayOfString(writes.stream().map(w -> w.current().flag().key()).toArray(String[]::new))
                .addArrayOfString(writes.stream().map(w -> Json.write(w.config())).toArray(String[]::new))
                .addArrayOfString(writes.stream().map(w -> Json.write(w.current().view().config())).toArray(String[]::new))
                .addArrayOfString(writes.stream().map(ConfigWrite::action).toArray(String[]::new))
                .addString(actor).addString(scope.project()).addString(scope.environment())
                .addString(comment.orElse(null)).addLong(deployment);
        return tx.preparedQuery(ConfigStatements.WRITE).execute(parameters)
                .map(rows -> {
                    List<ConfigView> written = new ArrayList<>(writes.size());
                    int i = 0;
                    for (Row row : rows) {
                        written.add(new ConfigView(writes.get(i++).current().flag().key(), scope.environment(), row.getLong("version"),
                                row.getOffsetDateTime("updated_at"), Json.read(row.getString("config"), FlagConfig.class)));
                    }
                    return written;
                });
    }

    /** The 404 of a missing project, environment or flag, from a row that resolved them (null ids where missing). */
    private static Optional<Failure> missing(Row row, String project, String environment, String key, String flagColumn) {
        if (row.getValue("project_id") == null) {
            return Optional.of(Failure.notFound("no project '" + project + "'"));
        }
        if (row.getValue("environment_id") == null) {
            return Optional.of(Failure.notFound("project '" + project + "' has no environment '" + environment + "'"));
        }
        if (row.getValue(flagColumn) == null) {
            return Optional.of(Failure.notFound("no flag '" + key + "' in project '" + project + "'"));
        }
        return Optional.empty();
    }
}
