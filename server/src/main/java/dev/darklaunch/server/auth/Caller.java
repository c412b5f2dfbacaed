package dev.darklaunch.server.auth;

import dev.darklaunch.server.failures.Failure;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling and what they may do: an API token, or an admin UI user signed in with a session
 * (exactly one of the two is set). Every handler asks the caller before it touches data; a refusal
 * is a 403 that says what the credential is limited to.
 *
 * <p>Users' roles apply to every project: a viewer reads everything and changes nothing; an editor
 * also switches flags, records and releases deployments and edits definitions; an admin may do
 * everything, including managing tokens and users.
 */
public record Caller(Token token, Session session) {

    static final String CONTEXT_KEY = "darklaunch.caller";

    public Caller {
        if ((token == null) == (session == null)) {
            throw new IllegalArgumentException("a caller is either a token or a session");
        }
    }

    public Caller(Token token) {
        this(token, null);
    }

    public Caller(Session session) {
        this(null, session);
    }

    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(CONTEXT_KEY);
        if (caller == null) {
            throw new IllegalStateException("route is not behind the authenticator");
        }
        return caller;
    }

    /** The signed-in user, or null for a token. */
    public User user() {
        return session == null ? null : session.user();
    }

    public String actor() {
        return token != null ? token.actor() : session.user().actor();
    }

    public boolean isSdkToken() {
        return token != null && token.kind() == TokenKind.SDK;
    }

    /** A browser-safe token: evaluates client-side flags over OFREP, nothing else. */
    public boolean isClientToken() {
        return token != null && token.kind() == TokenKind.CLIENT;
    }

    public boolean isAdmin() {
        return token != null ? token.kind() == TokenKind.ADMIN : role() == Role.ADMIN;
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw Failure.forbidden("this needs an admin token or an admin user; " + limits());
        }
    }

    /** May read the project's flags, segments, environments and audit log. */
    public void requireRead(String project) {
        if (!canRead(project)) {
            throw Failure.forbidden(who() + " cannot read project '" + project + "'; " + limits());
        }
    }

    /** May switch flags on and off in the environment (and, later, record deployments there). */
    public void requireToggle(String project, String environment) {
        if (!worksIn(project, environment)) {
            throw Failure.forbidden(who() + " cannot switch flags in " + project + "/" + environment + "; " + limits());
        }
    }

    /**
     * May record deployments in the environment, report their status, release and roll them back
     * (which switches the deployment's own flags only).
     */
    public void requireDeploy(String project, String environment) {
        if (!worksIn(project, environment)) {
            throw Failure.forbidden(who() + " cannot record or release deployments in " + project + "/" + environment + "; " + limits());
        }
    }

    /** May change definitions: flags, configurations, segments, environments. */
    public void requireEdit(String project) {
        if (!(isAdmin() || role() == Role.EDITOR)) {
            throw Failure.forbidden(who() + " cannot edit project '" + project + "'; " + limits());
        }
    }

    public boolean canRead(String project) {
        if (session != null) {
            return true;
        }
        return isAdmin() || (token.kind() == TokenKind.PIPELINE && project.equals(token.project()));
    }

    private boolean worksIn(String project, String environment) {
        if (session != null) {
            return role() != Role.VIEWER;
        }
        return isAdmin() || (token.kind() == TokenKind.PIPELINE && project.equals(token.project())
                && token.environments().contains(environment));
    }

    private Role role() {
        return session == null ? null : session.user().role();
    }

    private String who() {
        return token != null ? "this token" : "you";
    }

    /** What this credential may do, in words, for 403 messages. */
    String limits() {
        if (session != null) {
            String email = session.user().email();
            return switch (session.user().role()) {
                case VIEWER -> "you are signed in as " + email + " with role viewer, which reads every project but changes nothing";
                case EDITOR -> "you are signed in as " + email + " with role editor, which reads, switches, deploys and edits "
                        + "in every project but does not manage tokens or users";
                case ADMIN -> "you are signed in as " + email + " with role admin";
            };
        }
        return switch (token.kind()) {
            case ADMIN -> "it is an admin token";
            case PIPELINE -> "it is a pipeline token that reads project " + token.project()
                    + ", switches flags and records deployments in " + String.join(", ", token.environments()) + " only";
            case SDK -> "it is an SDK token for the " + token.project() + "/" + token.environments().get(0) + " feed only";
            case CLIENT -> "it is a client token that evaluates the client-side flags of " + token.project() + "/"
                    + token.environments().get(0) + " over OFREP only";
        };
    }
}
