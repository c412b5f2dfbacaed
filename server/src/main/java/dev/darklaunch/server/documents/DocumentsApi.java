package dev.darklaunch.server.documents;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.ApiRouter;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Optional;

/**
 * Flags as code over HTTP: {@code GET /api/v1/projects/{project}/export} answers the project as
 * one document (YAML, or JSON when asked by {@code Accept: application/json} or
 * {@code ?format=json}); {@code POST /api/v1/projects/{project}/apply} takes such a document (YAML
 * or JSON by Content-Type) and answers its plan ({@code ?dryRun=true}) or applies it
 * ({@code ?prune=true} deletes what it leaves out; {@code ?expect=<plan token>} refuses with 412
 * when the project changed since that plan; {@code ?comment=} goes to the audit log).
 */
public final class DocumentsApi {

    private static final int MAX_COMMENT_LENGTH = 2000;
    private final DocumentWrites documents;

    public DocumentsApi(DocumentWrites documents) {
        this.documents = documents;
    }

    public void mount(Router router) {
        router.get("/api/v1/projects/:project/export").handler(this::export);
        router.post("/api/v1/projects/:project/apply").handler(this::apply);
    }

    private void export(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        boolean asYaml = QueryParams.oneOf(ctx, "format", List.of("yaml", "json"))
                .map(format -> format.equals("yaml"))
                .orElseGet(() -> !acceptsJsonOnly(ctx.request().getHeader("Accept")));
        documents.export(project, asYaml)
                .onSuccess(bytes -> ctx.response().setStatusCode(200)
                        .putHeader("Content-Type", asYaml ? "application/yaml; charset=utf-8" : "application/json; charset=utf-8")
                        .end(Buffer.buffer(bytes)))
                .onFailure(ctx::fail);
    }

    private void apply(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw Failure.invalid("send the document (YAML or JSON) as the request body");
        }
        boolean asJson = !ApiRouter.isYaml(ctx.request().getHeader("Content-Type"));
        boolean dryRun = flag(ctx, "dryRun");
        boolean prune = flag(ctx, "prune");
        Optional<String> expect = QueryParams.text(ctx, "expect");
        Optional<String> comment = comment(ctx);
        byte[] bytes = body.getBytes();
        (dryRun ? documents.plan(caller.actor(), project, bytes, asJson, prune)
                : documents.apply(caller.actor(), project, bytes, asJson, prune, expect, comment))
                .onSuccess(plan -> Responses.ok(ctx, plan))
                .onFailure(ctx::fail);
    }

    /** Whether the client asked for JSON and not YAML (a browser's or curl's wildcard gets YAML). */
    private static boolean acceptsJsonOnly(String accept) {
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase();
        return lower.contains("application/json") && !lower.contains("yaml");
    }

    private static boolean flag(RoutingContext ctx, String name) {
        return QueryParams.oneOf(ctx, name, List.of("true", "false")).map(Boolean::parseBoolean).orElse(false);
    }

    private static Optional<String> comment(RoutingContext ctx) {
        String comment = ctx.request().getParam("comment");
        if (comment == null || comment.isBlank()) {
            return Optional.empty();
        }
        if (comment.length() > MAX_COMMENT_LENGTH || comment.indexOf('\0') >= 0) {
            throw Failure.invalid("comment", "comment must be text of at most " + MAX_COMMENT_LENGTH + " characters");
        }
        return Optional.of(comment.strip());
    }
}
