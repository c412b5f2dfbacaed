package dev.darklaunch.server.projects;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * Fills a new environment inside the transaction that creates it, so the environment is consistent
 * from its first revision: flags provide one that starts every flag off there, segments one that
 * starts every segment empty. Projects sit below flags and segments and know neither; the server's
 * composition root hands the seedings to {@link ProjectStore}.
 */
@FunctionalInterface
public interface EnvironmentSeeding {

    Future<Void> seed(SqlClient tx, long projectId, long environmentId);
}
