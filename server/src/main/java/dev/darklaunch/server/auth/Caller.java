package dev.darklaunch.server.auth;

import dev.darklaunch.server.http.ApiError;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling and what they may do. Every handler asks the caller before it touches data;
 * a refusal is a 403 that says what the credential is limited to.
 */
public record Caller(Token token) {

    static final String CONTEXT_KEY = "darklaunch.caller";

    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(CONTEXT_KEY);
        if (caller == null) {
            throw new IllegalStateException("route is not behind the authenticator");
        }
        return caller;
    }

    public String actor() {
        return token.actor();
    }

    public boolean isAdmin() {
        return token.kind() == TokenKind.ADMIN;
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw ApiError.forbidden("this needs an admin token; " + limits());
        }
    }

    /** May read the project's flags, segments, environments and audit log. */
    public void requireRead(String project) {
        if (isAdmin()) {
            return;
        }
        if (token.kind() != TokenKind.PIPELINE || !project.equals(token.project())) {
            throw ApiError.forbidden("this token cannot read project '" + project + "'; " + limits());
        }
    }

    /** May switch flags on and off in the environment (and, later, record deployments there). */
    public void requireToggle(String project, String environment) {
        if (!worksIn(project, environment)) {
            throw ApiError.forbidden("this token cannot switch flags in " + project + "/" + environment + "; " + limits());
        }
    }

    /**
     * May record deployments in the environment, report their status, release and roll them back
     * (which switches the deployment's own flags only).
     */
    public void requireDeploy(String project, String environment) {
        if (!worksIn(project, environment)) {
            throw ApiError.forbidden("this token cannot record or release deployments in " + project + "/" + environment + "; " + limits());
        }
    }

    /** May change definitions: flags, configurations, segments, environments. */
    public void requireEdit(String project) {
        if (!isAdmin()) {
            throw ApiError.forbidden("this token cannot edit project '" + project + "'; " + limits());
        }
    }

    public boolean canRead(String project) {
        return isAdmin() || (token.kind() == TokenKind.PIPELINE && project.equals(token.project()));
    }

    private boolean worksIn(String project, String environment) {
        return isAdmin() || (token.kind() == TokenKind.PIPELINE && project.equals(token.project())
                && token.environments().contains(environment));
    }

    private String limits() {
        return switch (token.kind()) {
            case ADMIN -> "it is an admin token";
            case PIPELINE -> "it is a pipeline token that reads project " + token.project()
                    + ", switches flags and records deployments in " + String.join(", ", token.environments()) + " only";
            case SDK -> "it is an SDK token for the " + token.project() + "/" + token.environments().get(0) + " feed only";
        };
    }
}
