package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.server.flags.ConfigView;
import dev.darklaunch.server.flags.FlagRows;
import dev.darklaunch.server.flags.ConfigWrite;
import dev.darklaunch.server.flags.FlagWrites;
import dev.darklaunch.server.flags.LockedConfig;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The one place this package reaches into {@code flags} ({@link FlagWrites}' operations in the
 * caller's transaction): the flags a deployment ships dark, the configurations its releases and
 * rollbacks write (each batch one revision, audited as part of the deployment), and how a flag
 * row reads. Everything runs in the caller's transaction.
 */
final class FlagChanges {

    /** The columns {@link #flag(Row)} reads, for queries that join {@code flags f}. */
    static final String FLAG_COLUMNS = FlagRows.COLUMNS;

    /** A shipped flag's configuration in the deployment's environment, locked for this transaction. */
    record LockedFlag(LockedConfig locked) {
        String key() {
            return locked.flag().key();
        }

        Flag flag() {
            return locked.flag();
        }

        long version() {
            return locked.view().version();
        }

        FlagConfig config() {
            return locked.view().config();
        }
    }

    /** A new configuration for a locked flag, and the audit action that names the change. */
    record ConfigChange(LockedFlag flag, FlagConfig config, String action) {
    }

    private final FlagWrites flags;

    FlagChanges(FlagWrites flags) {
        this.flags = flags;
    }

    static Flag flag(Row row) {
        return FlagRows.flag(row);
    }

    /** Creates a flag off in every environment, audited as shipped by {@code deployment}. */
    Future<Void> createDark(SqlClient tx, Scope project, String actor, Flag flag, Optional<String> comment, long deployment) {
        return flags.insert(tx, project, actor, flag, comment, deployment).mapEmpty();
    }

    /** Locks these flags' configurations in the scope's environment, in key order; keys without a flag are left out. */
    Future<List<LockedFlag>> lock(SqlClient tx, Scope scope, List<String> keys) {
        return flags.lockConfigs(tx, scope, keys).map(locked -> locked.stream().map(LockedFlag::new).toList());
    }

    /**
     * Writes validated configurations of locked flags as one revision, audited as part of
     * {@code deployment}; answers the keys written.
     */
    Future<List<String>> write(SqlClient tx, String actor, Scope scope, List<ConfigChange> changes,
                                      Optional<String> comment, long deployment) {
        List<ConfigWrite> writes = changes.stream()
                .map(change -> new ConfigWrite(change.flag().locked(), change.config(), change.action()))
                .toList();
        return flags.writeConfigs(tx, actor, scope, writes, comment, deployment)
                .map(written -> written.stream().map(ConfigView::flag).toList());
    }

    /** Runs CPU-heavy work (validating compiles the rules' patterns) off the event loop. */
    static <T> Future<T> onWorker(Callable<T> work) {
        return Validation.onWorker(work);
    }
}
