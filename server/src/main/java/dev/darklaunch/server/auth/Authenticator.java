package dev.darklaunch.server.auth;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.darklaunch.server.failures.Failure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Turns {@code Authorization: Bearer <secret>} or the admin UI's session cookie into a
 * {@link Caller}, or answers 401. Token lookups are cached by secret (positive and negative, so
 * random guesses cannot load the database) and refreshed in the background once older than
 * {@link #CACHE_TTL}, so a known token never waits on the database: while it stalls or is down,
 * requests are judged by the last answer it gave (SDKs keep reading the feed through an outage).
 * A revocation takes effect at once on every instance (each is notified) and otherwise with the
 * next refresh. A token this instance has not seen yet waits on the database at most
 * {@link #SDK_LOOKUP_BOUND} on the SDK feed's routes. Sessions are not cached (UI traffic is
 * light), so ending one takes effect everywhere with the next request.
 *
 * <p>A request with an Authorization header is judged by it alone. A cookie-authenticated request
 * that may change something (anything but GET and HEAD) must also carry the session's CSRF token
 * in {@code X-CSRF-Token}, and must not come from another site's page (Origin), else 403: a
 * browser sends the cookie on its own, so the cookie alone proves nothing about who asked.
 */
public final class Authenticator implements Handler<RoutingContext> {

    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    /** The longest an SDK's request waits for the database to check a token not seen before. */
    static final Duration SDK_LOOKUP_BOUND = Duration.ofMillis(500);
    /** How long an unused token's last known answer is kept. */
    private static final Duration KEEP_UNUSED = Duration.ofHours(24);
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_SECRET_LENGTH = 256;
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final TokenStore tokens;
    private final SessionStore sessions;
    /** The last answer the database gave for each recently used secret. */
    private final AsyncLoadingCache<String, Optional<Token>> cache;
    private final Map<Long, Long> lastTouched = new ConcurrentHashMap<>();

    public Authenticator(TokenStore tokens, SessionStore sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(CACHE_TTL)
                .expireAfterAccess(KEEP_UNUSED)
                .maximumSize(10_000)
                .buildAsync(new AsyncCacheLoader<>() {
                    @Override
                    public CompletableFuture<Optional<Token>> asyncLoad(String secret, Executor executor) {
                        return tokens.findBySecret(secret).toCompletionStage().toCompletableFuture();
                    }

                    /** The database cannot answer (down, stalled): keep the last answer it gave, and try again next time. */
                    @Override
                    public CompletableFuture<Optional<Token>> asyncReload(String secret, Optional<Token> known, Executor executor) {
                        return tokens.findBySecret(secret).otherwise(known).toCompletionStage().toCompletableFuture();
                    }
                });
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.request().getHeader("Authorization") == null) {
            Cookie cookie = ctx.request().getCookie(SessionCookie.NAME);
            if (cookie != null) {
                session(ctx, cookie.getValue());
                return;
            }
        }
        String secret;
        try {
            secret = secret(ctx.request().getHeader("Authorization"));
        } catch (Failure e) {
            ctx.fail(e);
            return;
        }
        lookup(secret, ctx.request().path().startsWith("/sdk/") || ctx.request().path().startsWith("/ofrep/")).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            Optional<Token> token = result.result();
            if (token.isEmpty()) {
                ctx.fail(Failure.unauthorized("the token is not valid"));
            } else if (token.get().revoked()) {
                ctx.fail(Failure.unauthorized("the token was revoked"));
            } else {
                touch(token.get());
                ctx.put(Caller.CONTEXT_KEY, new Caller(token.get()));
                ctx.next();
            }
        });
    }

    /**
     * Routes under /api accept admin and pipeline tokens and sessions; SDK tokens only read their
     * feed and evaluate over OFREP, client tokens only evaluate over OFREP.
     */
    public static void requireApiToken(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        if (caller.isSdkToken()) {
            ctx.fail(Failure.forbidden("SDK tokens can only read the SDK feed under /sdk/v1 and evaluate under /ofrep/v1"));
        } else if (caller.isClientToken()) {
            ctx.fail(Failure.forbidden("client tokens can only evaluate client-side flags under /ofrep/v1"));
        } else {
            ctx.next();
        }
    }

    /** Forget a token at once (after revocation), so this instance refuses it immediately. */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }

    private void session(RoutingContext ctx, String secret) {
        boolean secure = SessionCookie.secure(ctx.request());
        if (!SessionCookie.plausible(secret)) {
            ended(ctx, secure, "your session has ended; sign in again");
            return;
        }
        sessions.find(secret).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            Optional<SessionStore.Found> found = result.result();
            if (found.isEmpty()) {
                ended(ctx, secure, "your session has ended; sign in again");
                return;
            }
            if (!found.get().live()) {
                sessions.delete(found.get().session().id()).onFailure(e -> log.debug("could not delete an expired session", e));
                ended(ctx, secure, "your session expired; sign in again");
                return;
            }
            Session session = found.get().session();
            HttpMethod method = ctx.request().method();
            if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
                String origin = ctx.request().getHeader("Origin");
                if (origin != null && !SessionCookie.sameOrigin(origin, ctx.request().getHeader("Host"),
                        ctx.request().getHeader("X-Forwarded-Host"))) {
                    ctx.fail(Failure.forbidden("this request came from another site (Origin " + printable(origin)
                            + "); signed-in changes are accepted only from this server's own pages"));
                    return;
                }
                if (!SessionCookie.csrfMatches(ctx.request().getHeader(SessionCookie.CSRF_HEADER), session.csrfToken())) {
                    ctx.fail(Failure.forbidden("missing or wrong CSRF token: send the csrfToken of your session "
                            + "(from POST or GET /api/v1/session) in the " + SessionCookie.CSRF_HEADER + " header"));
                    return;
                }
            }
            ctx.put(Caller.CONTEXT_KEY, new Caller(touched(found.get())));
            ctx.next();
        });
    }

    /** Records use of the session when it is due, so the idle timeout slides; the session with its new end. */
    private Session touched(SessionStore.Found found) {
        SessionSettings settings = sessions.settings();
        Session session = found.session();
        if (Duration.between(found.lastSeenAt(), found.now()).compareTo(settings.touchInterval()) < 0) {
            return session;
        }
        sessions.touch(session.id()).onFailure(e -> log.debug("could not record session use", e));
        OffsetDateTime idleEnd = found.now().plus(settings.idle());
        OffsetDateTime absoluteEnd = session.createdAt().plus(settings.max());
        return new Session(session.id(), session.user(), session.csrfToken(), session.createdAt(),
                idleEnd.isBefore(absoluteEnd) ? idleEnd : absoluteEnd);
    }

    private static void ended(RoutingContext ctx, boolean secure, String message) {
        ctx.response().putHeader("Set-Cookie", SessionCookie.clear(secure));
        ctx.fail(Failure.unauthorized(message));
    }

    private static String printable(String text) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "…" : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * The token with this secret, from the cache (refreshed in the background when old) or, the
     * first time, from the database; for the SDK feed and OFREP, waiting at most {@link #SDK_LOOKUP_BOUND}.
     */
    private Future<Optional<Token>> lookup(String secret, boolean sdkFeed) {
        Future<Optional<Token>> found = Future.fromCompletionStage(cache.get(secret), Vertx.currentContext());
        return sdkFeed && !found.isComplete() ? found.timeout(SDK_LOOKUP_BOUND.toMillis(), TimeUnit.MILLISECONDS) : found;
    }

    private void touch(Token token) {
        long now = System.nanoTime();
        Long previous = lastTouched.get(token.id());
        if (previous != null && now - previous < TOUCH_INTERVAL.toNanos()) {
            return;
        }
        lastTouched.put(token.id(), now);
        tokens.touch(token.id()).onFailure(e -> log.debug("could not record token use", e));
    }

    private static String secret(String header) {
        if (header == null || header.isBlank()) {
            throw Failure.unauthorized("send a token as 'Authorization: Bearer <token>', or sign in to the admin UI");
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw Failure.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        String secret = parts[1].trim();
        if (secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH || secret.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw Failure.unauthorized("the token is not valid");
        }
        return secret;
    }
}
