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
 * {@link FlagStore}; what these methods check is what only the locked rows can tell (the version
 * If-Match names, whether the flag exists).
 */
public final class FlagConfigs {

    private FlagConfigs() {
    }

    /** A configuration to write: its locked state and the flag it belongs to, the new configuration, and the audit action. */
    public record Write(long flagId, Flag flag, ConfigView before, FlagConfig config, String action) {
    }

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
    static Future<Toggled> toggle(SqlClient tx, String actor, String project, String environment, String key, boolean on,
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
     * A flag and its configuration, locked for a write, the environment the write must keep within
     * the rules, and whether a running release ships the flag there.
     */
    record ForWrite(Scope scope, long flagId, Flag flag, ConfigView before, EnvironmentData environment,
                    boolean inRunningRelease) {
    }

    /**
     * Locks a flag and its configuration in one environment and reads, in the same statement, the
     * rest of the environment its validation needs (every flag's configuration and every segment).
     * Fails with {@link Failure.NotFound} for a missing project, environment or flag.
     */
    static Future<ForWrite> readForWrite(SqlClient tx, String project, String environment, String key) {
        return tx.preparedQuery(ConfigStatements.READ_FOR_WRITE).execute(Tuple.of(project, environment, key))
                .compose(rows -> {
                    Row target = rows.iterator().next();
                    Optional<Failure> missing = missing(target, project, environment, key, "flag_id");
                    if (missing.isPresent()) {
                        return Future.failedFuture(missing.get());
                    }
                    Scope scope = new Scope(target.getLong("project_id"), project, target.getLong("environment_id"), environment);
                    Flag flag = FlagRows.flag(target);
                    FlagConfig config = Json.read(target.getString("config"), FlagConfig.class);
                    List<EnvironmentFlag> flags = new ArrayList<>();
                    List<EnvironmentSegment> segments = new ArrayList<>();
                    for (Row row : rows) {
                        switch (row.getString("row_kind")) {
                            // the target as locked, which may be newer than the statement's snapshot
                            case "flag" -> flags.add(row.getLong("flag_id").equals(target.getLong("flag_id"))
                                    ? new EnvironmentFlag(flag, config)
                                    : new EnvironmentFlag(FlagRows.flag(row), Json.read(row.getString("config"), FlagConfig.class)));
                            case "segment" -> segments.add(new EnvironmentSegment(row.getString("key"),
                                    Json.read(row.getString("config"), SegmentConfig.class)));
                            default -> {
                            }
                        }
                    }
                    ConfigView before = new ConfigView(key, environment, target.getLong("version"),
                            target.getOffsetDateTime("updated_at"), config);
                    return Future.succeededFuture(new ForWrite(scope, target.getLong("flag_id"), flag, before,
                            new EnvironmentData(0, flags, segments), target.getBoolean("in_running_release")));
                });
    }

    /**
     * Writes validated, locked configurations of flags in the scope's environment as one revision
     * (SDKs get them as one patch and never see some applied and others not), in one statement:
     * the configurations, the revision, the change log and an audit event per configuration (as
     * part of {@code deployment}, if not null). Returns the written configurations in the order
     * given. Each flag at most once.
     */
    public static Future<List<ConfigView>> write(SqlClient tx, String actor, Scope scope, List<Write> writes,
                                                 Optional<String> comment, Long deployment) {
        if (writes.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        if (writes.stream().map(Write::flagId).distinct().count() < writes.size()) { // one statement updates a row once
            return Future.failedFuture(new IllegalArgumentException("a write names each flag once"));
        }
        Tuple parameters = Tuple.tuple()
                .addLong(scope.environmentId())
                .addArrayOfLong(writes.stream().map(Write::flagId).toArray(Long[]::new))
                .addArrayOfString(writes.stream().map(w -> w.flag().key()).toArray(String[]::new))
                .addArrayOfString(writes.stream().map(w -> Json.write(w.config())).toArray(String[]::new))
                .addArrayOfString(writes.stream().map(w -> Json.write(w.before().config())).toArray(String[]::new))
                .addArrayOfString(writes.stream().map(Write::action).toArray(String[]::new))
                .addString(actor).addString(scope.project()).addString(scope.environment())
                .addString(comment.orElse(null)).addLong(deployment);
        return tx.preparedQuery(ConfigStatements.WRITE).execute(parameters)
                .map(rows -> {
                    List<ConfigView> written = new ArrayList<>(writes.size());
                    int i = 0;
                    for (Row row : rows) {
                        written.add(new ConfigView(writes.get(i++).flag().key(), scope.environment(), row.getLong("version"),
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
