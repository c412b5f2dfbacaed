package dev.darklaunch.server.auth;

import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/tokens}: admins create tokens (the secret is in the creation response and nowhere
 * else, ever), list them and revoke them. Revoked tokens stay listed, for the record.
 */
public final class TokensApi {

    /** Body of POST /tokens; {@code origins} for client tokens only. */
    public record NewToken(String name, TokenKind kind, String project, List<String> environments, List<String> origins) {
    }

    private final TokenStore tokens;
    private final ProjectEnvironments projects;
    private final Authenticator authenticator;
    private final ClientOrigins clientOrigins;

    public TokensApi(TokenStore tokens, ProjectEnvironments projects, Authenticator authenticator, ClientOrigins clientOrigins) {
        this.tokens = tokens;
        this.projects = projects;
        this.authenticator = authenticator;
        this.clientOrigins = clientOrigins;
    }

    public void mount(Router router) {
        router.get("/api/v1/tokens").handler(this::list);
        router.post("/api/v1/tokens").handler(this::create);
        router.get("/api/v1/tokens/:id").handler(this::get);
        router.delete("/api/v1/tokens/:id").handler(this::revoke);
    }

    private void list(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        Responses.list(ctx, tokens.list());
    }

    private void get(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        tokens.get(id(ctx)).onSuccess(token -> Responses.ok(ctx, token)).onFailure(ctx::fail);
    }

    private void create(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        caller.requireAdmin();
        JsonBody.Body<NewToken> body = JsonBody.read(ctx, NewToken.class);
        NewToken request = body.value();
        String name = name(request.name());
        if (request.kind() == null) {
            throw Failure.invalid("kind", "kind is required: admin, pipeline, sdk or client");
        }
        List<String> environments = request.environments() == null ? List.of() : List.copyOf(new LinkedHashSet<>(request.environments()));
        List<String> origins = origins(request.kind(), request.origins());
        scopeExists(request.kind(), request.project(), environments)
                .compose(v -> tokens.create(caller.actor(), name, request.kind(), request.project(), environments, origins,
                        Secrets.generate(request.kind()), body.comment()))
                .onSuccess(created -> {
                    clientOrigins.changed();
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("token", created.token());
                    response.put("secret", created.secret());
                    ctx.response().putHeader("Cache-Control", "no-store");
                    ctx.response().putHeader("Location", "/api/v1/tokens/" + created.token().id());
                    Responses.json(ctx, 201, response);
                })
                .onFailure(ctx::fail);
    }

    private void revoke(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        caller.requireAdmin();
        tokens.revoke(caller.actor(), id(ctx), JsonBody.commentOnly(ctx))
                .onSuccess(token -> {
                    authenticator.invalidateAll();
                    clientOrigins.changed();
                    Responses.ok(ctx, token);
                })
                .onFailure(ctx::fail);
    }

    private Future<Void> scopeExists(TokenKind kind, String project, List<String> environments) {
        if (kind == TokenKind.ADMIN) {
            if (project != null || !environments.isEmpty()) {
                throw Failure.invalid("project", "admin tokens cover every project; leave out project and environments");
            }
            return Future.succeededFuture();
        }
        if (project == null) {
            throw Failure.invalid("project", kind.wire() + " tokens need a project");
        }
        ModelValidator.validateKey("project", project);
        if (kind == TokenKind.SDK && environments.size() != 1) {
            throw Failure.invalid("environments", "an SDK token reads exactly one environment");
        }
        if (kind == TokenKind.CLIENT && environments.size() != 1) {
            throw Failure.invalid("environments", "a client token evaluates the flags of exactly one environment");
        }
        if (kind == TokenKind.PIPELINE && environments.isEmpty()) {
            throw Failure.invalid("environments", "a pipeline token needs at least one environment");
        }
        return projects.of(project)
                .recover(e -> Future.failedFuture(e instanceof Failure.NotFound
                        ? Failure.invalid("project", "no project '" + project + "'") : e))
                .map(keys -> {
            Set<String> known = new LinkedHashSet<>(keys);
            for (int i = 0; i < environments.size(); i++) {
                if (!known.contains(environments.get(i))) {
                    throw Failure.invalid("environments[" + i + "]", "project '" + project + "' has no environment '"
                            + environments.get(i) + "'; it has " + String.join(", ", known));
                }
            }
            return null;
        });
    }

    /** The origins of a client token, each checked and written as browsers send them; none for other kinds. */
    private static List<String> origins(TokenKind kind, List<String> requested) {
        if (kind != TokenKind.CLIENT) {
            if (requested != null && !requested.isEmpty()) {
                throw Failure.invalid("origins", "only client tokens list web origins");
            }
            return List.of();
        }
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > WebOrigin.MAX_PER_TOKEN) {
            throw Failure.invalid("origins", "a client token lists at most " + WebOrigin.MAX_PER_TOKEN + " origins");
        }
        Set<String> origins = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            origins.add(WebOrigin.parse("origins[" + i + "]", requested.get(i)));
        }
        return List.copyOf(origins);
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw Failure.invalid("name", "name is required: at most 100 characters that say who uses the token");
        }
        return name.strip();
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw Failure.notFound("no token with id " + ctx.pathParam("id"));
        }
    }
}
