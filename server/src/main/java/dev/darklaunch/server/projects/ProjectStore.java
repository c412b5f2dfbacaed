package dev.darklaunch.server.projects;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.IfMatch;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.guards.GuardSpec;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Projects and their environments in PostgreSQL. */
public final class ProjectStore {

    /** An environment to create: key, name and whether it is production. */
    public record NewEnvironment(String key, String name, boolean production) {
    }

    public static final List<NewEnvironment> STANDARD_ENVIRONMENTS = List.of(
            new NewEnvironment("development", "Development", false),
            new NewEnvironment("staging", "Staging", false),
            new NewEnvironment("production", "Production", true));

    private static final String PROJECT_COLUMNS = "p.id, p.key, p.name, p.version, p.created_at";
    private static final String ENVIRONMENT_COLUMNS = "e.project_id, e.key, e.name, e.position, e.production, e.rollback_on_failure, e.revision, e.version, e.default_guards::text AS default_guards";

    private static final TypeReference<List<GuardSpec.Definition>> DEFAULT_GUARDS = new TypeReference<>() {
    };

    private final Pool pool;
    private final List<EnvironmentSeeding> seedings;

    /** @param seedings what fills a new environment (every flag off, every segment empty), in order */
    public ProjectStore(Pool pool, List<EnvironmentSeeding> seedings) {
        this.pool = pool;
        this.seedings = List.copyOf(seedings);
    }

    public Future<List<Project>> list() {
        return pool.query("SELECT " + PROJECT_COLUMNS + " FROM projects p ORDER BY p.key").execute()
                .compose(projects -> pool.query("SELECT " + ENVIRONMENT_COLUMNS + " FROM environments e ORDER BY e.position, e.id")
                        .execute()
                        .map(environments -> {
                            Map<Long, List<Environment>> byProject = new LinkedHashMap<>();
                            environments.forEach(row -> byProject.computeIfAbsent(row.getLong("project_id"), id -> new ArrayList<>())
                                    .add(environment(row)));
                            List<Project> result = new ArrayList<>();
                            projects.forEach(row -> result.add(project(row, byProject.getOrDefault(row.getLong("id"), List.of()))));
                            return result;
                        }));
    }

    public Future<Project> get(String key) {
        return get(pool, key);
    }

    public Future<Environment> environment(String project, String environment) {
        return environmentIn(pool, project, environment);
    }

    public Future<Project> create(String actor, String key, String name, List<NewEnvironment> environments,
                                  Optional<String> comment) {
        return pool.withTransaction(tx -> create(tx, actor, key, name, environments, comment));
    }

    /** Creates a project with its environments inside the caller's transaction, audited. */
    public static Future<Project> create(SqlClient tx, String actor, String key, String name,
                                         List<NewEnvironment> environments, Optional<String> comment) {
        return tx.preparedQuery("INSERT INTO projects (key, name) VALUES ($1, $2) RETURNING id")
                .execute(Tuple.of(key, name))
                .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                        ? Failure.conflict("key", "a project with key '" + key + "' already exists") : e))
                .compose(rows -> {
                    long projectId = rows.iterator().next().getLong("id");
                    Future<Void> chain = Future.succeededFuture();
                    for (NewEnvironment environment : environments) {
                        chain = chain.compose(v -> insertEnvironment(tx, projectId, environment).mapEmpty());
                    }
                    return chain;
                })
                .compose(v -> get(tx, key))
                .compose(project -> AuditLog.append(tx, new Change(actor, "project.create", key, null, "project", key,
                        null, project, comment)).map(project));
    }

    public Future<Project> rename(String actor, String key, String name, OptionalLong ifMatch, Optional<String> comment) {
        return pool.withTransaction(tx -> lockProject(tx, key)
                .compose(before -> IfMatch.check(ifMatch, before.version())
                        .compose(v -> tx.preparedQuery("UPDATE projects SET name = $2, version = version + 1, updated_at = now() WHERE key = $1")
                                .execute(Tuple.of(key, name)))
                        .compose(v -> get(tx, key))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "project.update", key, null,
                                "project", key, before, after, comment)).map(after))));
    }

    /**
     * Adds an environment to a project. Every existing flag starts off in it and every segment
     * empty, so the new environment is consistent from its first revision.
     */
    public Future<Environment> addEnvironment(String actor, String project, NewEnvironment environment,
                                              Optional<String> comment) {
        return pool.withTransaction(tx -> lockProject(tx, project)
                .compose(p -> projectId(tx, p)
                        .compose(projectId -> insertEnvironment(tx, projectId, environment)
                                .compose(environmentId -> seed(tx, projectId, environmentId))))
                .compose(v -> environmentIn(tx, project, environment.key()))
                .compose(created -> AuditLog.append(tx, new Change(actor, "environment.create", project, created.key(),
                        "environment", created.key(), null, created, comment)).map(created)));
    }

    private Future<Void> seed(SqlClient tx, long projectId, long environmentId) {
        Future<Void> chain = Future.succeededFuture();
        for (EnvironmentSeeding seeding : seedings) {
            chain = chain.compose(v -> seeding.seed(tx, projectId, environmentId));
        }
        return chain;
    }

    /**
     * Renames an environment, marks it production or not, and sets its failure policy;
     * {@code rollbackOnFailure} null means the default for production or not. {@code defaultGuards}
     * replace the environment's default guards (empty: none); null keeps them as they are.
     */
    public Future<Environment> updateEnvironment(String actor, String project, String key, String name, boolean production,
                                                 Boolean rollbackOnFailure, List<GuardSpec> defaultGuards, OptionalLong ifMatch,
                                                 Optional<String> comment) {
        String guards = defaultGuards == null ? null
                : Json.write(defaultGuards.stream().map(GuardSpec::definition).toList());
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        SELECT e.id FROM environments e JOIN projects p ON p.id = e.project_id
                        WHERE p.key = $1 AND e.key = $2 FOR UPDATE OF e""").execute(Tuple.of(project, key))
                .compose(locked -> environmentIn(tx, project, key))
                .compose(before -> IfMatch.check(ifMatch, before.version())
                        .compose(v -> tx.preparedQuery("""
                                        UPDATE environments SET name = $3, production = $4, rollback_on_failure = $5,
                                               default_guards = CASE WHEN $6::text IS NULL THEN default_guards
                                                                     WHEN $6::text = '[]' THEN NULL ELSE $6::text::jsonb END,
                                               version = version + 1, updated_at = now()
                                        WHERE key = $2 AND project_id = (SELECT id FROM projects WHERE key = $1)""")
                                .execute(Tuple.from(new Object[]{project, key, name, production, rollbackOnFailure, guards})))
                        .compose(v -> environmentIn(tx, project, key))
                        .compose(after -> AuditLog.append(tx, new Change(actor, "environment.update", project, key,
                                "environment", key, before, after, comment)).map(after))));
    }

    /** Resolves a project key to its id, or fails with NotFound (for reads outside a transaction). */
    public Future<Scope> scope(String project) {
        return scope(pool, project);
    }

    /** Resolves project and environment keys to ids, or fails with NotFound (for reads outside a transaction). */
    public Future<Scope> scope(String project, String environment) {
        return scope(pool, project, environment);
    }

    /** Resolves a project key to its id, or 404. */
    public static Future<Scope> scope(SqlClient client, String project) {
        return client.preparedQuery("SELECT id FROM projects WHERE key = $1").execute(Tuple.of(project))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("no project '" + project + "'");
                    }
                    return Scope.project(rows.iterator().next().getLong("id"), project);
                });
    }

    /** Resolves project and environment keys to ids, or 404. */
    public static Future<Scope> scope(SqlClient client, String project, String environment) {
        return client.preparedQuery("""
                        SELECT p.id AS project_id, e.id AS environment_id FROM projects p
                        LEFT JOIN environments e ON e.project_id = p.id AND e.key = $2 WHERE p.key = $1""")
                .execute(Tuple.of(project, environment))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("no project '" + project + "'");
                    }
                    Row row = rows.iterator().next();
                    if (row.getLong("environment_id") == null) {
                        throw Failure.notFound("project '" + project + "' has no environment '" + environment + "'");
                    }
                    return new Scope(row.getLong("project_id"), project, row.getLong("environment_id"), environment);
                });
    }

    private static Future<Long> insertEnvironment(SqlClient tx, long projectId, NewEnvironment environment) {
        return tx.preparedQuery("""
                        INSERT INTO environments (project_id, key, name, production, position)
                        VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position), -1) + 1 FROM environments WHERE project_id = $1))
                        RETURNING id""")
                .execute(Tuple.of(projectId, environment.key(), environment.name(), environment.production()))
                .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                        ? Failure.conflict("key", "an environment with key '" + environment.key() + "' already exists") : e))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    private static Future<Long> projectId(SqlClient tx, Project project) {
        return scope(tx, project.key()).map(Scope::projectId);
    }

    private static Future<Project> lockProject(SqlClient tx, String key) {
        return tx.preparedQuery("SELECT id FROM projects WHERE key = $1 FOR UPDATE").execute(Tuple.of(key))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(Failure.notFound("no project '" + key + "'"))
                        : get(tx, key));
    }

    private static Future<Project> get(SqlClient client, String key) {
        return client.preparedQuery("SELECT " + PROJECT_COLUMNS + " FROM projects p WHERE p.key = $1").execute(Tuple.of(key))
                .compose(projects -> {
                    if (projects.size() == 0) {
                        return Future.failedFuture(Failure.notFound("no project '" + key + "'"));
                    }
                    Row row = projects.iterator().next();
                    return client.preparedQuery("SELECT " + ENVIRONMENT_COLUMNS
                                    + " FROM environments e WHERE e.project_id = $1 ORDER BY e.position, e.id")
                            .execute(Tuple.of(row.getLong("id")))
                            .map(environments -> {
                                List<Environment> list = new ArrayList<>();
                                environments.forEach(e -> list.add(environment(e)));
                                return project(row, list);
                            });
                });
    }

    private static Future<Environment> environmentIn(SqlClient client, String project, String environment) {
        return client.preparedQuery("SELECT " + ENVIRONMENT_COLUMNS
                        + " FROM environments e JOIN projects p ON p.id = e.project_id WHERE p.key = $1 AND e.key = $2")
                .execute(Tuple.of(project, environment))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Failure.notFound("project '" + project + "' has no environment '" + environment + "'");
                    }
                    return environment(rows.iterator().next());
                });
    }

    private static Project project(Row row, List<Environment> environments) {
        return new Project(row.getString("key"), row.getString("name"), environments, row.getInteger("version"),
                row.getOffsetDateTime("created_at"));
    }

    /** The failure policy in effect: the one set, else on in production only. */
    public static boolean rollbackOnFailure(boolean production, Boolean set) {
        return set == null ? production : set;
    }

    private static Environment environment(Row row) {
        return new Environment(row.getString("key"), row.getString("name"), row.getInteger("position"),
                row.getBoolean("production"),
                rollbackOnFailure(row.getBoolean("production"), row.getBoolean("rollback_on_failure")), row.getLong("revision"),
                row.getInteger("version"), row.getString("default_guards") == null ? List.of()
                : Json.read(row.getString("default_guards"), DEFAULT_GUARDS));
    }
}
