package dev.darklaunch.server;

import dev.darklaunch.server.auth.Passwords;
import dev.darklaunch.server.auth.Role;
import dev.darklaunch.server.auth.Secrets;
import dev.darklaunch.server.auth.TokenKind;
import dev.darklaunch.server.auth.TokenStore;
import dev.darklaunch.server.auth.UserStore;
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
import java.util.OptionalLong;

/**
 * What a first start sets up: the {@code default} project with development, staging and production,
 * an admin token (from {@code DARKLAUNCH_ADMIN_TOKEN}, or generated and shown once), and the admin UI
 * user {@code admin} (password from {@code DARKLAUNCH_ADMIN_PASSWORD}, or generated and shown once).
 * Runs under an advisory lock so several instances starting together do it once.
 */
final class Bootstrap {

    static final String SYSTEM = "system";
    static final String ENV_TOKEN_NAME = "DARKLAUNCH_ADMIN_TOKEN";
    private static final long LOCK = 0x4461726b6c61756eL; // "Darklaun"
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    static final String ADMIN_USER = "admin";

    /** How the admin token came to be, for the start-up message; the secret only when generated now. */
    record AdminToken(Optional<String> generatedSecret, boolean fromEnvironment) {
    }

    /** How the admin UI user came to be, for the start-up message; the password only when generated now. */
    record AdminUser(Optional<String> generatedPassword, boolean fromEnvironment) {
    }

    /** What the start-up message tells. */
    record Result(AdminToken token, AdminUser user) {
    }

    private Bootstrap() {
    }

    static Future<Result> run(Pool pool, Config config, Passwords passwords) {
        // start-up waits as long as it takes: for the lock while another instance starts, and for
        // password hashing inside the transaction
        return pool.withTransaction(tx -> tx.query("SET LOCAL statement_timeout = 0").execute()
                .compose(v -> tx.query("SET LOCAL idle_in_transaction_session_timeout = 0").execute())
                .compose(v -> tx.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute())
                .compose(v -> defaultProject(tx))
                .compose(v -> adminToken(tx, config.adminToken()))
                .compose(token -> adminUser(tx, config.adminPassword(), passwords).map(user -> new Result(token, user))));
    }

    /**
     * With DARKLAUNCH_ADMIN_PASSWORD, user {@code admin} exists and has that password after every
     * start (a changed value replaces the password and ends the user's sessions; that is also how
     * an operator recovers a forgotten one). Without it, {@code admin} is created with a generated
     * password only while there is no admin user at all.
     */
    private static Future<AdminUser> adminUser(SqlClient tx, Optional<String> fromEnvironment, Passwords passwords) {
        Optional<String> comment = Optional.of(fromEnvironment.isPresent() ? "from DARKLAUNCH_ADMIN_PASSWORD" : "first start");
        if (fromEnvironment.isPresent()) {
            String password = fromEnvironment.get();
            return UserStore.findByEmail(tx, ADMIN_USER).compose(found -> {
                if (found.isEmpty()) {
                    return passwords.hash(password)
                            .compose(hash -> UserStore.create(tx, SYSTEM, ADMIN_USER, Role.ADMIN, hash, comment))
                            .map(user -> new AdminUser(Optional.empty(), true));
                }
                return passwords.verify(password, found.get().passwordHash()).compose(same -> same
                        ? Future.succeededFuture(new AdminUser(Optional.empty(), true))
                        : passwords.hash(password)
                        .compose(hash -> UserStore.update(tx, SYSTEM, found.get().user().id(), new UserStore.Update(null, hash),
                                OptionalLong.empty(), null, comment))
                        .map(user -> new AdminUser(Optional.empty(), true)));
            });
        }
        return UserStore.anyAdmin(tx).compose(any -> {
            if (any) {
                return Future.succeededFuture(new AdminUser(Optional.empty(), false));
            }
            String password = Passwords.generate();
            return passwords.hash(password)
                    .compose(hash -> UserStore.findByEmail(tx, ADMIN_USER).compose(found -> found.isEmpty()
                            ? UserStore.create(tx, SYSTEM, ADMIN_USER, Role.ADMIN, hash, comment)
                            : UserStore.update(tx, SYSTEM, found.get().user().id(), new UserStore.Update(Role.ADMIN, hash),
                            OptionalLong.empty(), null, comment)))
                    .map(user -> new AdminUser(Optional.of(password), false));
        });
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
