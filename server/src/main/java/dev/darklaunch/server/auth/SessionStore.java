package dev.darklaunch.server.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;

/**
 * Sessions in PostgreSQL, shared by every server instance. A session row
 * holds the SHA-256 of the cookie's secret (256 random bits, so a fast hash is enough), never the
 * secret. Sessions are looked up on every request, uncached: ending one (sign-out, user deleted,
 * password changed) takes effect on every instance with the next request.
 */
public final class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session found by its secret, live or not, with the database's clock. */
    public record Found(Session session, OffsetDateTime lastSeenAt, OffsetDateTime now) {
        public boolean live() {
            return now.isBefore(session.expiresAt());
        }
    }

    /** A new session and the secret for its cookie (shown to the browser this once). */
    public record Created(Session session, String secret) {
    }

    private static final String FIND = """
            SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, now() AS now,
                   least(s.created_at + make_interval(secs => $2::float8 / 1000),
                         s.last_seen_at + make_interval(secs => $3::float8 / 1000)) AS expires_at,
                   u.id AS user_id, u.email, u.role, u.version, u.created_at AS user_created_at, u.created_by, u.updated_at
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.secret_hash = $1""";

    private final Pool pool;
    private final SessionSettings settings;

    public SessionStore(Pool pool, SessionSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    public SessionSettings settings() {
        return settings;
    }

    public Future<Optional<Found>> find(String secret) {
        return pool.preparedQuery(FIND)
                .execute(Tuple.of(Buffer.buffer(Secrets.hash(secret)), settings.max().toMillis(), settings.idle().toMillis()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(found(rows.iterator().next())));
    }

    public Future<Created> create(User user) {
        String secret = random();
        String csrf = random();
        return pool.preparedQuery("""
                        WITH expired AS (
                            DELETE FROM sessions WHERE last_seen_at < now() - make_interval(secs => $4::float8 / 1000)
                               OR created_at < now() - make_interval(secs => $5::float8 / 1000)
                        )
                        INSERT INTO sessions (secret_hash, user_id, csrf_token) VALUES ($1, $2, $3)
                        RETURNING id, created_at, least(created_at + make_interval(secs => $5::float8 / 1000),
                                                        last_seen_at + make_interval(secs => $4::float8 / 1000)) AS expires_at""")
                .execute(Tuple.of(Buffer.buffer(Secrets.hash(secret)), user.id(), csrf, settings.idle().toMillis(),
                        settings.max().toMillis()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Created(new Session(row.getLong("id"), user, csrf, row.getOffsetDateTime("created_at"),
                            row.getOffsetDateTime("expires_at")), secret);
                });
    }

    /** Records use, so the idle timeout starts again; called at most once per {@link SessionSettings#touchInterval()}. */
    public Future<Void> touch(long id) {
        return pool.preparedQuery("UPDATE sessions SET last_seen_at = now() WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    public Future<Void> delete(long id) {
        return pool.preparedQuery("DELETE FROM sessions WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    private static Found found(Row row) {
        User user = new User(row.getLong("user_id"), row.getString("email"), Role.fromWire(row.getString("role")),
                row.getInteger("version"), row.getOffsetDateTime("user_created_at"), row.getString("created_by"),
                row.getOffsetDateTime("updated_at"));
        Session session = new Session(row.getLong("id"), user, row.getString("csrf_token"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("expires_at"));
        return new Found(session, row.getOffsetDateTime("last_seen_at"), row.getOffsetDateTime("now"));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
