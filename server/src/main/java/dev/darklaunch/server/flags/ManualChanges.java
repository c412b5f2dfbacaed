package dev.darklaunch.server.flags;

import dev.darklaunch.server.projects.Scope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.List;

/**
 * What else a change made by a person to flags' configuration in one environment sets off, inside
 * the transaction of that change. Deployments pause the running releases that raise those flags
 * (automation never overrides a person); flags sit below deployments and need not know releases.
 */
@FunctionalInterface
public interface ManualChanges {

    /** Nothing else happens: for a store that runs without deployments. */
    ManualChanges NONE = (tx, actor, scope, flags, action) -> Future.succeededFuture();

    /**
     * @param flags  the keys of the flags whose configuration changed
     * @param action the audit action of the change ({@code flag.off}, {@code flag.update}, …)
     */
    Future<Void> changed(SqlClient tx, String actor, Scope scope, List<String> flags, String action);
}
