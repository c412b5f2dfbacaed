package dev.darklaunch.server.auth;

import dev.darklaunch.server.http.ApiError;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signing in to the admin UI and knowing who you are: {@code /api/v1/session} (sign in, read the
 * session back after a page reload, sign out) and {@code /api/v1/me} (the caller, token or user;
 * users change their own password there).
 *
 * <p>Sign-in answers a wrong email and a wrong password alike, in about the same time (an unknown
 * email is checked against a decoy hash), and refuses an email after
 * {@value SessionStore#MAX_FAILURES} failures within {@code SessionStore.GUARD_WINDOW} with 429.
 */
public final class SessionsApi {

    /** Body of POST /session. */
    public record SignIn(String email, String password) {
    }

    /** Body of PATCH /me. */
    public record PasswordChange(String currentPassword, String password) {
    }

    static final int MAX_EMAIL_LENGTH = 254;
    private static final String WRONG = "wrong email or password";

    private final SessionStore sessions;
    private final UserStore users;
    private final Passwords passwords;

    public SessionsApi(SessionStore sessions, UserStore users, Passwords passwords) {
        this.sessions = sessions;
        this.users = users;
        this.passwords = passwords;
    }

    /** Sign-in needs no credential, so it is mounted before the authenticator. */
    public void mountPublic(Router router) {
        router.post("/api/v1/session").handler(this::signIn);
    }

    public void mount(Router router) {
        router.get("/api/v1/session").handler(this::current);
        router.delete("/api/v1/session").handler(this::signOut);
        router.get("/api/v1/me").handler(this::me);
        router.patch("/api/v1/me").handler(this::changePassword);
    }

    private void signIn(RoutingContext ctx) {
        SignIn body = JsonBody.read(ctx, SignIn.class).value();
        String email = text("email", body.email(), MAX_EMAIL_LENGTH);
        String password = text("password", body.password(), Passwords.MAX_LENGTH);
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && !SessionCookie.sameOrigin(origin, ctx.request().getHeader("Host"),
                ctx.request().getHeader("X-Forwarded-Host"))) {
            // a page on another site must not sign the browser in to an account of its choosing
            throw ApiError.forbidden("sign-in is accepted only from this server's own pages");
        }
        boolean secure = SessionCookie.secure(ctx.request());
        attempt(ctx, email)
                .compose(v -> users.findByEmail(email))
                .compose(found -> passwords.verify(password, found.map(UserStore.WithHash::passwordHash).orElse(null))
                        .compose(matches -> matches
                                ? Future.succeededFuture(found.get().user())
                                : Future.failedFuture(ApiError.unauthorized(WRONG))))
                .compose(user -> sessions.clearFailures(email).compose(v -> sessions.create(user)))
                .onSuccess(created -> {
                    ctx.response().putHeader("Set-Cookie", SessionCookie.set(created.secret(), secure));
                    Responses.ok(ctx, body(created.session()));
                })
                .onFailure(ctx::fail);
    }

    private void current(RoutingContext ctx) {
        Responses.ok(ctx, body(session(ctx)));
    }

    private void signOut(RoutingContext ctx) {
        Session session = session(ctx);
        boolean secure = SessionCookie.secure(ctx.request());
        sessions.delete(session.id())
                .onSuccess(v -> {
                    ctx.response().putHeader("Set-Cookie", SessionCookie.clear(secure));
                    Responses.noContent(ctx);
                })
                .onFailure(ctx::fail);
    }

    private void me(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        if (caller.session() != null) {
            User user = caller.user();
            body.put("kind", "user");
            body.put("id", user.id());
            body.put("email", user.email());
            body.put("role", user.role());
        } else {
            Token token = caller.token();
            body.put("kind", "token");
            body.put("id", token.id());
            body.put("name", token.name());
            body.put("tokenKind", token.kind());
            if (token.project() != null) {
                body.put("project", token.project());
                body.put("environments", token.environments());
            }
        }
        Responses.ok(ctx, body);
    }

    private void changePassword(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        if (caller.session() == null) {
            throw ApiError.forbidden("only signed-in users have a password; a token is replaced by creating another");
        }
        JsonBody.Body<PasswordChange> body = JsonBody.read(ctx, PasswordChange.class);
        String current = text("currentPassword", body.value().currentPassword(), Passwords.MAX_LENGTH);
        String password = body.value().password();
        Passwords.checkPolicy("password", password);
        Session session = caller.session();
        String email = session.user().email();
        // a stolen session must not be a way to guess the password: these attempts count like sign-ins
        attempt(ctx, email)
                .compose(v -> users.withHash(session.user().id()))
                .compose(user -> passwords.verify(current, user.passwordHash()))
                .compose(matches -> matches
                        ? sessions.clearFailures(email).compose(v -> passwords.hash(password))
                        : Future.failedFuture(ApiError.invalid("currentPassword", "the current password is wrong")))
                .compose(hash -> users.update(caller.actor(), session.user().id(), new UserStore.Update(null, hash),
                        java.util.OptionalLong.empty(), session.id(), body.comment()))
                .onSuccess(user -> Responses.versioned(ctx, 200, user.version(), user))
                .onFailure(ctx::fail);
    }

    /** Takes a sign-in attempt for the email, or fails with 429 and Retry-After. */
    private Future<Void> attempt(RoutingContext ctx, String email) {
        return sessions.takeAttempt(email).compose(wait -> {
            if (wait.isEmpty()) {
                return Future.succeededFuture();
            }
            ctx.response().putHeader("Retry-After", String.valueOf(wait.get()));
            return Future.failedFuture(ApiError.tooManyRequests("too many failed sign-ins for this email; try again in "
                    + minutes(wait.get())));
        });
    }

    private static Session session(RoutingContext ctx) {
        Session session = Caller.of(ctx).session();
        if (session == null) {
            throw ApiError.notFound("there is no session: this request was made with a token; "
                    + "sessions come from signing in with POST /api/v1/session");
        }
        return session;
    }

    static Map<String, Object> body(Session session) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", session.user().id());
        user.put("email", session.user().email());
        user.put("role", session.user().role());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("csrfToken", session.csrfToken());
        body.put("expiresAt", session.expiresAt());
        return body;
    }

    private static String text(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw ApiError.invalid(field, field + " is required");
        }
        if (value.length() > maxLength * 2) {
            throw ApiError.invalid(field, field + " is too long");
        }
        return value;
    }

    private static String minutes(long seconds) {
        long minutes = (seconds + 59) / 60;
        return minutes <= 1 ? "a minute" : minutes + " minutes";
    }
}
