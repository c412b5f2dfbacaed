package dev.darklaunch.server.auth;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.http.Versions;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.OptionalLong;

/**
 * {@code /api/v1/users}: admins (admin users and admin tokens) list, create, change and delete the
 * admin UI's users. Password hashes never leave the server. Every change is audited; a changed
 * password or a deleted user ends that user's sessions; the last admin user can be neither
 * demoted nor deleted (409).
 */
public final class UsersApi {

    /** Body of POST /users. */
    public record NewUser(String email, String password, Role role) {
    }

    /** Body of PATCH /users/{id}: either or both. */
    public record UserChange(Role role, String password) {
    }

    private final UserStore users;
    private final Passwords passwords;

    public UsersApi(UserStore users, Passwords passwords) {
        this.users = users;
        this.passwords = passwords;
    }

    public void mount(Router router) {
        router.get("/api/v1/users").handler(this::list);
        router.post("/api/v1/users").handler(this::create);
        router.get("/api/v1/users/:id").handler(this::get);
        router.patch("/api/v1/users/:id").handler(this::change);
        router.delete("/api/v1/users/:id").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        Responses.list(ctx, users.list());
    }

    private void get(RoutingContext ctx) {
        Caller.of(ctx).requireAdmin();
        Responses.reply(ctx, users.get(id(ctx)));
    }

    private void create(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        caller.requireAdmin();
        JsonBody.Body<NewUser> body = JsonBody.read(ctx, NewUser.class);
        NewUser request = body.value();
        String email = email(request.email());
        if (request.role() == null) {
            throw Failure.invalid("role", "role is required: viewer, editor or admin");
        }
        Passwords.checkPolicy("password", request.password());
        passwords.hash(request.password())
                .compose(hash -> users.create(caller.actor(), email, request.role(), hash, body.comment()))
                .onSuccess(user -> Responses.created(ctx, "/api/v1/users/" + user.id(), user.version(), user))
                .onFailure(ctx::fail);
    }

    private void change(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        caller.requireAdmin();
        long id = id(ctx);
        OptionalLong ifMatch = Versions.ifMatch(ctx);
        JsonBody.Body<UserChange> body = JsonBody.read(ctx, UserChange.class);
        UserChange request = body.value();
        if (request.role() == null && request.password() == null) {
            throw Failure.invalid("send a new role, a new password, or both");
        }
        if (request.password() != null) {
            Passwords.checkPolicy("password", request.password());
        }
        Future<String> hash = request.password() == null ? Future.succeededFuture() : passwords.hash(request.password());
        // an admin resetting their own password keeps the session they are using
        Long keep = caller.user() != null && caller.user().id() == id ? caller.session().id() : null;
        hash.compose(h -> users.update(caller.actor(), id, new UserStore.Update(request.role(), h), ifMatch, keep, body.comment()))
                .onSuccess(user -> Responses.versioned(ctx, 200, user.version(), user))
                .onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        caller.requireAdmin();
        users.delete(caller.actor(), id(ctx), JsonBody.commentOnly(ctx))
                .onSuccess(user -> Responses.noContent(ctx))
                .onFailure(ctx::fail);
    }

    /** An email-like name: text without spaces around an '@', at most 254 characters. */
    static String email(String email) {
        if (email == null || email.isBlank()) {
            throw Failure.invalid("email", "email is required");
        }
        String value = email.strip();
        int at = value.indexOf('@');
        if (value.length() > SessionsApi.MAX_EMAIL_LENGTH || at <= 0 || at != value.lastIndexOf('@') || at == value.length() - 1
                || value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw Failure.invalid("email", "email must be an address such as ann@example.com (at most "
                    + SessionsApi.MAX_EMAIL_LENGTH + " characters)");
        }
        return value;
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw Failure.notFound("no user with id " + ctx.pathParam("id"));
        }
    }
}
