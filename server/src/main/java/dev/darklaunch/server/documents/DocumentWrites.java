package dev.darklaunch.server.documents;

import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.ManualChanges;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.projects.Scope;
import io.vertx.sqlclient.SqlClient;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Flags as code: exports a project as a document, plans a document against the project, and
 * applies it — all of it in one transaction that locks the project's flags, segments and
 * environments, writes every kind with one statement, gives each environment one revision (its
 * SDKs get one patch) and appends an audit event per resource plus one {@code project.apply}
 * event with the document's SHA-256. Nothing is written when any part is refused.
 */
public final class DocumentWrites {

    private final Pool pool;
    private final ManualChanges manualChanges;

    /** @param manualChanges what a person's change to flags' configurations also sets off (pausing releases), as for single writes */
    public DocumentWrites(Pool pool, ManualChanges manualChanges) {
        this.pool = pool;
        this.manualChanges = manualChanges;
    }

    /** The project as one document (YAML, or JSON), from one consistent read. */
    public Future<byte[]> export(String project, boolean asYaml) {
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .compose(v -> ProjectStore.scope(tx, project))
                .compose(scope -> DocumentStore.read(tx, scope, false)))
                .compose(state -> Validation.onWorker(() -> DocumentFormat.write(state.document(), asYaml)));
    }

    /** What applying the document would do, computed on a consistent read; nothing is written. */
    public Future<Plan> plan(String actor, String project, byte[] bytes, boolean asJson, boolean prune) {
        String hash = ProjectState.sha256(bytes);
        return Validation.onWorker(() -> DocumentFormat.read(bytes, asJson))
                .compose(document -> pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        .execute()
                        .compose(v -> ProjectStore.scope(tx, project))
                        .compose(scope -> DocumentStore.read(tx, scope, false)))
                        .compose(state -> Validation.onWorker(() -> Planner.decide(state, document, hash, prune, actor, Optional.empty()))))
                .map(Planner.Decided::plan);
    }

    /**
     * Applies the document in one transaction; with {@code expect} (a plan's token), refuses with
     * 412 when the project changed since that plan. Answers the plan as applied.
     */
    public Future<Plan> apply(String actor, String project, byte[] bytes, boolean asJson, boolean prune, Optional<String> expect,
                                Optional<String> comment) {
        String hash = ProjectState.sha256(bytes);
        return Validation.onWorker(() -> DocumentFormat.read(bytes, asJson))
                .compose(document -> pool.withTransaction(tx -> ProjectStore.scope(tx, project)
                        .compose(scope -> DocumentStore.read(tx, scope, true))
                        .compose(state -> expected(state, expect))
                        .compose(state -> Validation.onWorker(() -> Planner.decide(state, document, hash, prune, actor, comment)))
                        .compose(decided -> DocumentStore.write(tx, decided.state().scope(), decided.writes())
                                .compose(v -> ChangeLog.recordAll(tx, decided.changeLog()))
                                .compose(v -> manualChanges(tx, actor, decided))
                                .compose(v -> AuditLog.appendAll(tx, audit(actor, project, hash, decided, comment)))
                                .map(v -> decided.plan()))))
                .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                        ? Failure.conflict("another change created the same flag or segment meanwhile; plan again") : e));
    }

    /** Reports the changed configurations per environment, as a single write does (running releases of those flags pause). */
    private Future<Void> manualChanges(SqlClient tx, String actor, Planner.Decided decided) {
        Map<Long, List<String>> changed = new TreeMap<>();
        decided.writes().configuredFlags().forEach(row -> changed.computeIfAbsent(row.environmentId(), id -> new ArrayList<>()).add(row.key()));
        Future<Void> reported = Future.succeededFuture();
        for (ProjectState.EnvironmentRow environment : decided.state().environments().values()) {
            List<String> keys = changed.get(environment.id());
            if (keys != null) {
                Scope scope = new Scope(decided.state().scope().projectId(), decided.state().scope().project(), environment.id(),
                        environment.key());
                reported = reported.compose(v -> manualChanges.changed(tx, actor, scope, keys, "flag.config.update"));
            }
        }
        return reported;
    }

    private static Future<ProjectState> expected(ProjectState state, Optional<String> expect) {
        if (expect.isPresent() && !expect.get().equals(state.token())) {
            return Future.failedFuture(Failure.preconditionFailed("the project changed since the plan was computed (revisions now "
                    + state.revisions() + "); plan again and review the changes"));
        }
        return Future.succeededFuture(state);
    }

    /** An event per resource, and one for the apply itself with the document's hash (only when something changed). */
    private static List<Change> audit(String actor, String project, String hash, Planner.Decided decided, Optional<String> comment) {
        if (!decided.plan().changes()) {
            return List.of();
        }
        List<Change> audit = new ArrayList<>(decided.audit());
        audit.add(new Change(actor, "project.apply", project, null, "project", project, null,
                Map.of("document", "sha256:" + hash, "summary", decided.plan().summary()), comment));
        return audit;
    }
}
