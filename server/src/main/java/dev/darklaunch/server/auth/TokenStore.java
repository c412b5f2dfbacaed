package dev.darklaunch.server.auth;

import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.failures.Failure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Tokens in PostgreSQL: created, listed, looked up by secret hash, revoked. Never deleted. */
public final class TokenStore {

    private static final String COLUMNS = """
            t.id, t.name, t.kind, p.key AS project, t.environments, t.hint, t.created_at, t.created_by,
            t.last_used_at, t.revoked_at, t.revoked_by, t.origins""";
    private static final String FROM = " FROM tokens t LEFT JOIN projects p ON p.id = t.project_id";

    /** A token just created, with the secret that is shown this once. */
    public record Created(Token token, String secret) {
    }

    private final Pool pool;

    public TokenStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<Token>> findBySecret(String secret) {
        return pool.preparedQuery("SELECT " + COLUMNS + FROM + " WHERE t.secret_hash = $1")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(Secrets.hash(secret))))
                .map(TokenStore::first);
    }

    public Future<List<Token>> list() {
        return pool.query("SELECT " + COLUMNS + FROM + " ORDER BY t.id").execute().map(TokenStore::all);
    }

    public Future<Token> get(long id) {
        return get(pool, id);
    }

    /** Creates a token with the given secret (generated, or the bootstrap one) and audits it. */
    public Future<Created> create(String actor, String name, TokenKind kind, String project, List<String> environments,
                                  List<String> origins, String secret, Optional<String> comment) {
        return pool.withTransaction(tx -> insert(tx, actor, name, kind, project, environments, origins, secret)
                .compose(token -> AuditLog.append(tx, tokenChange(actor, "token.create", token, null, token, comment))
                        .map(v -> new Created(token, secret))));
    }

    /** The web origins listed on active client tokens, for answering CORS preflight requests. */
    public Future<java.util.Set<String>> clientOrigins() {
        return pool.query("SELECT DISTINCT unnest(origins) AS origin FROM tokens WHERE kind = 'client' AND revoked_at IS NULL")
                .execute()
                .map(rows -> {
                    java.util.Set<String> origins = new java.util.HashSet<>();
                    rows.forEach(row -> origins.add(row.getString("origin")));
                    return origins;
                });
    }

    /** Creates a token inside the caller's transaction, audited. */
    public static Future<Created> create(SqlClient tx, String actor, String name, TokenKind kind, String project,
                                         List<String> environments, String secret, Optional<String> comment) {
        return insert(tx, actor, name, kind, project, environments, List.of(), secret)
                .compose(token -> AuditLog.append(tx, tokenChange(actor, "token.create", token, null, token, comment))
                        .map(v -> new Created(token, secret)));
    }

    public Future<Token> revoke(String actor, long id, Optional<String> comment) {
        return pool.withTransaction(tx -> get(tx, id)
                .compose(before -> {
                    if (before.revoked()) {
                        return Future.succeededFuture(before);
                    }
                    return refuseLastAdmin(tx, before)
                            .compose(v -> tx.preparedQuery("UPDATE tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1")
                                    .execute(Tuple.of(id, actor)))
                            // every instance closes the token's open SDK streams at once
                            .compose(v -> tx.preparedQuery("SELECT pg_notify('darklaunch_tokens', $1::text)")
                                    .execute(Tuple.of(String.valueOf(id))))
                            .compose(v -> get(tx, id))
                            .compose(after -> AuditLog.append(tx, tokenChange(actor, "token.revoke", after, before, after, comment))
                                    .map(after));
                }));
    }

    /** Records use; best effort, called at most about once a minute per token. */
    public Future<Void> touch(long id) {
        return pool.preparedQuery("UPDATE tokens SET last_used_at = now() WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    private Future<Void> refuseLastAdmin(SqlClient tx, Token token) {
        if (token.kind() != TokenKind.ADMIN) {
            return Future.succeededFuture();
        }
        // lock the admin rows so two concurrent revocations cannot both pass this check
        return tx.query("SELECT id FROM tokens WHERE kind = 'admin' AND revoked_at IS NULL FOR UPDATE").execute()
                .compose(rows -> rows.size() <= 1
                        ? Future.failedFuture(Failure.conflict("this is the last active admin token; "
                        + "create another admin token before revoking it"))
                        : Future.succeededFuture());
    }

    private static Future<Token> insert(SqlClient tx, String actor, String name, TokenKind kind, String project,
                                        List<String> environments, List<String> origins, String secret) {
        return tx.preparedQuery("""
                        INSERT INTO tokens (name, kind, project_id, environments, secret_hash, hint, created_by, origins)
                        VALUES ($1, $2, (SELECT id FROM projects WHERE key = $3), $4, $5, $6, $7, $8) RETURNING id""")
                .execute(Tuple.from(new Object[]{name, kind.wire(), project, environments.toArray(String[]::new),
                        io.vertx.core.buffer.Buffer.buffer(Secrets.hash(secret)), Secrets.hint(secret), actor,
                        origins.toArray(String[]::new)}))
                .compose(rows -> get(tx, rows.iterator().next().getLong("id")));
    }

    private static Future<Token> get(SqlClient client, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + FROM + " WHERE t.id = $1").execute(Tuple.of(id))
                .map(rows -> first(rows).orElseThrow(() -> Failure.notFound("no token with id " + id)));
    }

    private static Change tokenChange(String actor, String action, Token token, Token before, Token after,
                                      Optional<String> comment) {
        return new Change(actor, action, token.project() == null ? "*" : token.project(), null,
                "token", String.valueOf(token.id()), before, after, comment);
    }

    private static Optional<Token> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
    }

    private static List<Token> all(RowSet<Row> rows) {
        List<Token> tokens = new ArrayList<>(rows.size());
        rows.forEach(row -> tokens.add(map(row)));
        return tokens;
    }

    private static Token map(Row row) {
        return new Token(row.getLong("id"), row.getString("name"), TokenKind.fromWire(row.getString("kind")),
                row.getString("project"), Arrays.asList(row.getArrayOfStrings("environments")), row.getString("hint"),
                row.getOffsetDateTime("created_at"), row.getString("created_by"), row.getOffsetDateTime("last_used_at"),
                row.getOffsetDateTime("revoked_at"), row.getString("revoked_by"), Arrays.asList(row.getArrayOfStrings("origins")));
    }
}
