package dev.darklaunch.server.auth;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.ClientAddresses;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Signing in to the admin UI and knowing who you are: {@code /api/v1/session} (sign in, read the
 * session back after a page reload, sign out) and {@code /api/v1/me} (the caller, token or user;
 * users change their own password there).
 *
 * <p>Sign-in answers a wrong email and a wrong password alike, in about the same time (an unknown
 * email is checked against a decoy hash). Every password check, sign-in or password change, goes
 * through the {@link SignInThrottle} (429 with {@code Retry-After} for a client that failed too
 * often) and the password pool (503 with {@code Retry-After} while it is full).
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

    /** Seconds a client is told to wait when the password pool is full. */
    private static final int BUSY_RETRY_AFTER = 5;

    private final SessionStore sessions;
    private final UserStore users;
    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final ClientAddresses clients;

    public SessionsApi(SessionStore sessions, UserStore users, Passwords passwords, SignInThrottle throttle,
                       ClientAddresses clients) {
        this.sessions = sessions;
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.clients = clients;
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
            throw Failure.forbidden("sign-in is accepted only from this server's own pages");
        }
        boolean secure = SessionCookie.secure(ctx.request());
        throttled(ctx, email, recentFailures -> users.findByEmail(email)
                        .compose(found -> passwords.verify(password, found.map(UserStore.WithHash::passwordHash).orElse(null),
                                        recentFailures)
                                .map(matches -> matches ? found.map(UserStore.WithHash::user) : Optional.<User>empty())),
                () -> Failure.unauthorized(WRONG))
                .compose(sessions::create)
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
            throw Failure.forbidden("only signed-in users have a password; a token is replaced by creating another");
        }
        JsonBody.Body<PasswordChange> body = JsonBody.read(ctx, PasswordChange.class);
        String current = text("currentPassword", body.value().currentPassword(), Passwords.MAX_LENGTH);
        String password = body.value().password();
        Passwords.checkPolicy("password", password);
        Session session = caller.session();
        String email = session.user().email();
        // a stolen session must not be a way to guess the password: these attempts count like sign-ins
        throttled(ctx, email, recentFailures -> users.withHash(session.user().id())
                        .compose(user -> passwords.verify(current, user.passwordHash(), recentFailures))
                        .map(matches -> matches ? Optional.of(true) : Optional.<Boolean>empty()),
                () -> Failure.invalid("currentPassword", "the current password is wrong"))
                .compose(v -> passwords.hash(password))
                .compose(hash -> users.update(caller.actor(), session.user().id(), new UserStore.Update(null, hash),
                        java.util.OptionalLong.empty(), session.id(), body.comment()))
                .onSuccess(user -> Responses.versioned(ctx, 200, user.version(), user))
                .onFailure(ctx::fail);
    }

    /**
     * Checks a password for {@code email} under the {@link SignInThrottle}: {@code check}, given
     * the client's recent failures, answers the result when the password is right, empty when it
     * is wrong (then this fails with {@code wrong}). A refused client gets 429, a full password
     * pool 503, both with Retry-After.
     */
    private <T> Future<T> throttled(RoutingContext ctx, String email, Function<Integer, Future<Optional<T>>> check,
                                    Supplier<Failure> wrong) {
        return throttle.begin(email, clients.of(ctx.request())).compose(attempt -> {
            if (attempt.refused()) {
                ctx.response().putHeader("Retry-After", String.valueOf(attempt.retryAfter()));
                return Future.failedFuture(Failure.tooManyRequests(attempt.refusal()));
            }
            // composed, so that even a check that throws ends the attempt (and frees the address's turn)
            return Future.succeededFuture(attempt.recentFailures()).compose(check).transform(checked -> {
                if (checked.failed()) {
                    // not a wrong password: nothing was learned, so the attempt is given back
                    if (Passwords.busy(checked.cause())) {
                        ctx.response().putHeader("Retry-After", String.valueOf(BUSY_RETRY_AFTER));
                    }
                    return throttle.notChecked(attempt).transform(v -> Future.<T>failedFuture(checked.cause()));
                }
                if (checked.result().isEmpty()) {
                    throttle.failed(attempt);
                    return Future.failedFuture(wrong.get());
                }
                return throttle.succeeded(attempt).map(checked.result().get());
            });
        });
    }

    private static Session session(RoutingContext ctx) {
        Session session = Caller.of(ctx).session();
        if (session == null) {
            throw Failure.notFound("there is no session: this request was made with a token; "
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
            throw Failure.invalid(field, field + " is required");
        }
        if (value.length() > maxLength * 2) {
            throw Failure.invalid(field, field + " is too long");
        }
        return value;
    }
}
