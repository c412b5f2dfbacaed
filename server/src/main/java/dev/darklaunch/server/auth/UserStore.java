package dev.darklaunch.server.auth;

import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Versioned;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Admin UI users in PostgreSQL. Password hashes go in and are compared here, but never come out
 * in a {@link User}. Every change is audited in its own transaction; there is always at least one
 * admin user (the last one can be neither deleted nor demoted).
 */
public final class UserStore {

    private static final String COLUMNS = "id, email, role, version, created_at, created_by, updated_at";

    /** A user with the hash to check a password against, for sign-in only. */
    public record WithHash(User user, String passwordHash) {
    }

    /** What a PATCH changes; null fields stay as they are. */
    public record Update(Role role, String passwordHash) {
    }

    private final Pool pool;

    public UserStore(Pool pool) {
        this.pool = pool;
    }

    /** The user with this email, compared without regard to case. */
    public Future<Optional<WithHash>> findByEmail(String email) {
        return findByEmail(pool, email);
    }

    public static Future<Optional<WithHash>> findByEmail(SqlClient client, String email) {
        return client.preparedQuery("SELECT " + COLUMNS + ", password_hash FROM users WHERE lower(email) = lower($1)")
                .execute(Tuple.of(email))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(withHash(rows.iterator().next())));
    }

    public Future<WithHash> withHash(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", password_hash FROM users WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(id);
                    }
                    return withHash(rows.iterator().next());
                });
    }

    public Future<List<User>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM users ORDER BY id").execute().map(UserStore::all);
    }

    public Future<User> get(long id) {
        return get(pool, id, false);
    }

    public Future<User> create(String actor, String email, Role role, String passwordHash, Optional<String> comment) {
        return pool.withTransaction(tx -> create(tx, actor, email, role, passwordHash, comment));
    }

    public static Future<User> create(SqlClient tx, String actor, String email, Role role, String passwordHash,
                               Optional<String> comment) {
        return tx.preparedQuery("INSERT INTO users (email, role, password_hash, created_by) VALUES ($1, $2, $3, $4) RETURNING "
                        + COLUMNS)
                .execute(Tuple.of(email, role.wire(), passwordHash, actor))
                .recover(e -> Future.failedFuture(duplicate(e)
                        ? Failure.conflict("email", "there is already a user with email '" + email + "'") : e))
                .map(rows -> map(rows.iterator().next()))
                .compose(user -> AuditLog.append(tx, change(actor, "user.create", user, null, user, comment)).map(user));
    }

    /**
     * Changes a user's role and/or password hash. A new password ends the user's sessions, except
     * {@code keepSession} (the one changing its own password).
     */
    public Future<User> update(String actor, long id, Update update, OptionalLong ifMatch, Long keepSession,
                               Optional<String> comment) {
        return pool.withTransaction(tx -> update(tx, actor, id, update, ifMatch, keepSession, comment));
    }

    public static Future<User> update(SqlClient tx, String actor, long id, Update update, OptionalLong ifMatch, Long keepSession,
                               Optional<String> comment) {
        return get(tx, id, true).compose(before -> {
            Versioned.check(ifMatch, before.version());
            boolean demoted = before.role() == Role.ADMIN && update.role() != null && update.role() != Role.ADMIN;
            Future<Void> allowed = demoted ? refuseLastAdmin(tx, "demote") : Future.succeededFuture();
            return allowed
                    .compose(v -> tx.preparedQuery("""
                                    UPDATE users SET role = coalesce($2, role), password_hash = coalesce($3, password_hash),
                                        version = version + 1, updated_at = now()
                                    WHERE id = $1 RETURNING""" + " " + COLUMNS)
                            .execute(Tuple.of(id, update.role() == null ? null : update.role().wire(), update.passwordHash())))
                    .map(rows -> map(rows.iterator().next()))
                    .compose(after -> endSessions(tx, update.passwordHash() != null, id, keepSession)
                            .compose(v -> AuditLog.append(tx, change(actor, action(update), after, before, after, comment)))
                            .map(after));
        });
    }

    /** Deletes a user; their sessions end with them. */
    public Future<User> delete(String actor, long id, Optional<String> comment) {
        return pool.withTransaction(tx -> get(tx, id, true).compose(before -> {
            Future<Void> allowed = before.role() == Role.ADMIN ? refuseLastAdmin(tx, "delete") : Future.succeededFuture();
            return allowed
                    .compose(v -> tx.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(id)))
                    .compose(v -> AuditLog.append(tx, change(actor, "user.delete", before, before, null, comment)))
                    .map(before);
        }));
    }

    public static Future<Boolean> anyAdmin(SqlClient client) {
        return client.query("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1").execute().map(rows -> rows.size() > 0);
    }

    private static Future<Void> endSessions(SqlClient tx, boolean passwordChanged, long userId, Long keepSession) {
        if (!passwordChanged) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("DELETE FROM sessions WHERE user_id = $1 AND ($2::bigint IS NULL OR id <> $2)")
                .execute(Tuple.of(userId, keepSession)).mapEmpty();
    }

    private static Future<Void> refuseLastAdmin(SqlClient tx, String what) {
        // lock the admin rows so two concurrent changes cannot both pass this check
        return tx.query("SELECT id FROM users WHERE role = 'admin' FOR UPDATE").execute()
                .compose(rows -> rows.size() <= 1
                        ? Future.failedFuture(Failure.conflict("this is the last admin user; make another user admin before you "
                        + what + " this one"))
                        : Future.succeededFuture());
    }

    private static Future<User> get(SqlClient client, long id, boolean forUpdate) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(id);
                    }
                    return map(rows.iterator().next());
                });
    }

    private static String action(Update update) {
        if (update.role() != null && update.passwordHash() != null) {
            return "user.update";
        }
        return update.passwordHash() != null ? "user.password" : "user.role";
    }

    private static boolean duplicate(Throwable e) {
        return PgErrors.isUniqueViolation(e);
    }

    static Failure notFound(long id) {
        return Failure.notFound("no user with id " + id);
    }

    private static Change change(String actor, String action, User user, User before, User after, Optional<String> comment) {
        return new Change(actor, action, "*", null, "user", String.valueOf(user.id()), before, after, comment);
    }

    private static List<User> all(RowSet<Row> rows) {
        List<User> users = new ArrayList<>(rows.size());
        rows.forEach(row -> users.add(map(row)));
        return users;
    }

    private static WithHash withHash(Row row) {
        return new WithHash(map(row), row.getString("password_hash"));
    }

    static User map(Row row) {
        return new User(row.getLong("id"), row.getString("email"), Role.fromWire(row.getString("role")),
                row.getInteger("version"), row.getOffsetDateTime("created_at"), row.getString("created_by"),
                row.getOffsetDateTime("updated_at"));
    }
}
