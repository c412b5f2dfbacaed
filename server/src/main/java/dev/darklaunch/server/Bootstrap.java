package dev.darklaunch.server;

import dev.darklaunch.server.auth.Secrets;
import dev.darklaunch.server.auth.TokenKind;
import dev.darklaunch.server.auth.TokenStore;
import dev.darklaunch.server.projects.ProjectStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * What a first start sets up: the {@code default} project with development, staging and production,
 * and an admin token (from {@code DARKLAUNCH_ADMIN_TOKEN}, or generated and shown once). Runs under
 * an advisory lock so several instances starting together do it once.
 */
final class Bootstrap {

    static final String SYSTEM = "system";
    static final String ENV_TOKEN_NAME = "DARKLAUNCH_ADMIN_TOKEN";
    private static final long LOCK = 0x4461726b6c61756eL; // "Darklaun"
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    /** How the admin token came to be, for the start-up message; the secret only when generated now. */
    record AdminToken(Optional<String> generatedSecret, boolean fromEnvironment) {
    }

    private Bootstrap() {
    }

    static Future<AdminToken> run(Pool pool, Config config) {
        return pool.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute()
                .compose(v -> defaultProject(tx))
                .compose(v -> adminToken(tx, config.adminToken())));
    }

    private static Future<Void> defaultProject(SqlClient tx) {
        return tx.query("SELECT 1 FROM projects LIMIT 1").execute().compose(rows -> rows.size() > 0
                ? Future.succeededFuture()
                : ProjectStore.create(tx, SYSTEM, "default", "Default", ProjectStore.STANDARD_ENVIRONMENTS,
                Optional.of("first start")).mapEmpty());
    }

    private static Future<AdminToken> adminToken(SqlClient tx, Optional<String> fromEnvironment) {
        if (fromEnvironment.isPresent()) {
            String secret = fromEnvironment.get();
            Buffer hash = Buffer.buffer(Secrets.hash(secret));
            return tx.preparedQuery("SELECT revoked_at IS NOT NULL AS revoked FROM tokens WHERE secret_hash = $1")
                    .execute(Tuple.of(hash))
                    .compose(rows -> {
                        if (rows.size() > 0) {
                            if (rows.iterator().next().getBoolean("revoked")) {
                                log.warn("DARKLAUNCH_ADMIN_TOKEN names a revoked token; it stays revoked. Set a new value.");
                            }
                            return Future.succeededFuture();
                        }
                        // a changed DARKLAUNCH_ADMIN_TOKEN replaces the previous one
                        return tx.preparedQuery("UPDATE tokens SET revoked_at = now(), revoked_by = $2 "
                                        + "WHERE name = $1 AND revoked_at IS NULL")
                                .execute(Tuple.of(ENV_TOKEN_NAME, SYSTEM))
                                .compose(v -> TokenStore.create(tx, SYSTEM, ENV_TOKEN_NAME, TokenKind.ADMIN, null, List.of(), secret,
                                        Optional.of("from DARKLAUNCH_ADMIN_TOKEN")))
                                .mapEmpty();
                    })
                    .map(v -> new AdminToken(Optional.empty(), true));
        }
        return tx.query("SELECT 1 FROM tokens WHERE kind = 'admin' AND revoked_at IS NULL LIMIT 1").execute()
                .compose(rows -> {
                    if (rows.size() > 0) {
                        return Future.succeededFuture(new AdminToken(Optional.empty(), false));
                    }
                    String secret = Secrets.generate(TokenKind.ADMIN);
                    return TokenStore.create(tx, SYSTEM, "first admin", TokenKind.ADMIN, null, List.of(), secret,
                            Optional.of("first start"))
                            .map(created -> new AdminToken(Optional.of(secret), false));
                });
    }
}
