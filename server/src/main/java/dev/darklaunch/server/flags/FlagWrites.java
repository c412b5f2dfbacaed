package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.changes.IfMatch;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Changes to flags: the rules and the transactions, over two SQL-only stores ({@link FlagStore}
 * for definitions, {@link FlagConfigStore} for configurations). Every write is one transaction
 * that changes the rows, bumps the revision of each affected environment (the SDK feed) and
 * appends the audit event, so all three commit together or not at all; each follows one
 * pattern, as a flat chain: scope → lock → If-Match ({@link IfMatch}) → validate → write →
 * change log → audit → answer. A toggle and a configuration write fold all of it into one
 * statement (begin, statement, commit).
 *
 * <p>The methods that take a {@link SqlClient} run in the caller's transaction, for writes that
 * span capabilities (deployments create flags, and write configurations as one revision); the
 * others open their own.
 */
public final class FlagWrites {

    private final Pool pool;
    private final FlagStore flags;
    private final FlagConfigStore configs;
    private final ManualChanges manualChanges;

    /** @param manualChanges what a person's change to a flag's configuration also sets off (pausing releases) */
    public FlagWrites(Pool pool, FlagStore flags, FlagConfigStore configs, ManualChanges manualChanges) {
        this.pool = pool;
        this.flags = flags;
        this.configs = configs;
        this.manualChanges = manualChanges;
    }

    /** Creates a flag; it starts off in every environment of the project. */
    public Future<FlagView> create(String actor, String project, Flag flag, Optional<String> comment) {
        return valid(flag).compose(v -> pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> insert(tx, scope, actor, flag, comment, null))));
    }

    /**
     * Creates a validated flag inside the caller's transaction, off in every environment, audited
     * (as part of {@code deployment}, if not null).
     */
    public Future<FlagView> insert(SqlClient tx, Scope scope, String actor, Flag flag, Optional<String> comment,
                                   Long deployment) {
        return flags.insert(tx, scope, flag, FlagConfig.off(flag))
                .compose(id -> ChangeLog.recordEverywhere(tx, scope.projectId(), "flag", flag.key()))
                .compose(v -> flags.view(tx, scope, flag.key()))
                .compose(created -> AuditLog.append(tx, new Change(actor, "flag.create", scope.project(), null, "flag",
                        flag.key(), null, created.flag(), comment, deployment)).map(created));
    }

    /** A flag locked for a change, in the scope it was found in. */
    private record Locked(Scope scope, FlagStore.StoredFlag before) {
    }

    /**
     * Replaces a flag's definition (scope → lock → If-Match → validate → write → change log →
     * audit → answer). Its key cannot change; every environment's configuration must still fit.
     */
    public Future<FlagView> update(String actor, String project, String key, Flag flag, OptionalLong ifMatch,
                                   Optional<String> comment) {
        if (!key.equals(flag.key())) {
            return Future.failedFuture(Failure.invalid("key", "a flag's key cannot change (the path says '" + key + "')"));
        }
        return valid(flag).compose(v -> pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> flags.lock(tx, scope, key).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(x -> configsStillFit(tx, locked.before().id(), flag))
                        .compose(x -> flags.update(tx, locked.scope(), flag))
                        .compose(x -> ChangeLog.recordEverywhere(tx, locked.scope().projectId(), "flag", key))
                        .compose(x -> flags.view(tx, locked.scope(), key))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "flag.update", project, null,
                                "flag", key, locked.before().flag(), after.flag(), comment)).map(after)))));
    }

    /** Deletes a flag and its configurations, unless another flag lists it as a prerequisite. */
    public Future<Void> delete(String actor, String project, String key, OptionalLong ifMatch, Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                .compose(scope -> flags.lock(tx, scope, key).map(before -> new Locked(scope, before)))
                .compose(locked -> IfMatch.check(ifMatch, locked.before().version())
                        .compose(x -> notAPrerequisite(tx, locked.scope(), key))
                        .compose(x -> flags.delete(tx, locked.before().id()))
                        .compose(x -> ChangeLog.recordEverywhere(tx, locked.scope().projectId(), "flag", key))
                        .compose(x -> AuditLog.append(tx, new Change(actor, "flag.delete", project, null, "flag",
                                key, locked.before().flag(), null, comment)))));
    }

    /**
     * Replaces a flag's configuration in one environment: begin, one statement that locks the
     * flag, writes and reads what the validation needs, the validation (on a worker), commit — or
     * rollback when the validation refuses the change, so nothing of it is ever seen. A change
     * made by hand is reported to {@link ManualChanges} when a running release ships the flag
     * there (it pauses: automation never overrides a person).
     */
    public Future<ConfigView> putConfig(String actor, String project, String key, String environment, FlagConfig config,
                                        OptionalLong ifMatch, Optional<String> comment) {
        String action = "flag.config.update";
        return pool.withTransaction(tx -> configs.replace(tx, actor, project, environment, key, config, ifMatch, comment, action)
                .compose(written -> Validation.config(written.flag(), config)
                        .compose(v -> IfMatch.check(ifMatch, written.before().version()))
                        .compose(v -> References.check(written.scope(), key, config, written.environment()))
                        .compose(v -> config.equals(written.before().config()) || !written.inRunningRelease()
                                ? Future.succeededFuture(written.after())
                                : manualChanges.changed(tx, actor, written.scope(), List.of(key), action).map(written.after()))));
    }

    /**
     * Switches a flag on or off in one environment: begin, one statement, commit — three round
     * trips; a fourth, the report to {@link ManualChanges}, only when a running release ships the
     * flag (and is paused by it). Doing it twice changes nothing the second time.
     */
    public Future<ConfigView> setOn(String actor, String project, String key, String environment, boolean on,
                                    OptionalLong ifMatch, Optional<String> comment) {
        return pool.withTransaction(tx -> configs.toggle(tx, actor, project, environment, key, on, ifMatch, comment)
                .compose(toggled -> !toggled.written() || !toggled.inRunningRelease() ? Future.succeededFuture(toggled.view())
                        : manualChanges.changed(tx, actor, toggled.scope(), List.of(key), on ? "flag.on" : "flag.off")
                        .map(toggled.view())));
    }

    /**
     * Locks the configurations of these flags in the scope's environment, in the caller's
     * transaction, in key order (so that concurrent writers of overlapping sets never deadlock).
     * Keys without a flag are left out.
     */
    public Future<List<LockedConfig>> lockConfigs(SqlClient tx, Scope scope, List<String> keys) {
        return configs.lock(tx, scope, keys);
    }

    /**
     * Writes new configurations of flags in one environment as one revision, in the caller's
     * transaction, so SDKs get them as one patch and never see some applied and others not;
     * appends an audit event for each (as part of {@code deployment}, if not null). The
     * configurations must be validated and locked ({@link #lockConfigs}); nothing pauses.
     */
    public Future<List<ConfigView>> writeConfigs(SqlClient tx, String actor, Scope scope, List<ConfigWrite> writes,
                                                 Optional<String> comment, Long deployment) {
        return configs.write(tx, actor, scope, writes, comment, deployment);
    }

    /** A flag that another flag lists as a prerequisite (in any environment) cannot go. */
    private Future<Void> notAPrerequisite(SqlClient tx, Scope scope, String key) {
        return flags.dependent(tx, scope, key).compose(dependent -> dependent.isEmpty() ? Future.succeededFuture()
                : Future.failedFuture(Failure.conflict("flag '" + dependent.get().flag() + "' lists '" + key
                + "' as a prerequisite in " + dependent.get().environment() + "; remove that first")));
    }

    /** A new definition must not orphan a variation index that some environment still serves. */
    private Future<Void> configsStillFit(SqlClient tx, long flagId, Flag flag) {
        return flags.configs(tx, flagId).compose(stored -> Validation.onWorker(() -> { // validating compiles the rules' patterns
            for (FlagStore.EnvironmentConfig config : stored) {
                try {
                    ModelValidator.validateConfig(flag, config.config());
                } catch (InvalidModelException e) {
                    throw Failure.conflict("variations", "the configuration in " + config.environment()
                            + " no longer fits the new definition (" + e.field() + ": " + e.getMessage()
                            + "); change that configuration first");
                }
            }
            return null;
        }));
    }

    /** {@link ModelValidator#validateFlag}, failing the future rather than throwing. */
    private static Future<Void> valid(Flag flag) {
        try {
            ModelValidator.validateFlag(flag);
            return Future.succeededFuture();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
