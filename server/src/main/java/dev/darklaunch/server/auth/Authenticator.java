package dev.darklaunch.server.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.darklaunch.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns {@code Authorization: Bearer <secret>} into a {@link Caller}, or answers 401. Lookups are
 * cached by secret hash for a few seconds (positive and negative, so random guesses cannot load the
 * database); a revocation on this instance takes effect at once, on other instances within
 * {@link #CACHE_TTL}.
 */
public final class Authenticator implements Handler<RoutingContext> {

    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_SECRET_LENGTH = 256;
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final TokenStore tokens;
    private final AsyncCache<String, Optional<Token>> cache = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL)
            .maximumSize(10_000)
            .buildAsync();
    private final Map<Long, Long> lastTouched = new ConcurrentHashMap<>();
    /**
     * The last answer the database gave for each recently used secret, for when it cannot answer:
     * SDKs keep reading the feed through a database outage (RELIABILITY 12). Revocations need the
     * database, so none can be missed meanwhile; a revocation clears this too.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Optional<Token>> lastKnown = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(24))
            .maximumSize(10_000)
            .build();

    public Authenticator(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String secret;
        try {
            secret = secret(ctx.request().getHeader("Authorization"));
        } catch (ApiError e) {
            ctx.fail(e);
            return;
        }
        lookup(secret).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            Optional<Token> token = result.result();
            if (token.isEmpty()) {
                ctx.fail(ApiError.unauthorized("the token is not valid"));
            } else if (token.get().revoked()) {
                ctx.fail(ApiError.unauthorized("the token was revoked"));
            } else {
                touch(token.get());
                ctx.put(Caller.CONTEXT_KEY, new Caller(token.get()));
                ctx.next();
            }
        });
    }

    /** Routes under /api accept admin and pipeline tokens; SDK tokens only read their feed. */
    public static void requireApiToken(RoutingContext ctx) {
        if (Caller.of(ctx).token().kind() == TokenKind.SDK) {
            ctx.fail(ApiError.forbidden("SDK tokens can only read the SDK feed under /sdk/v1"));
        } else {
            ctx.next();
        }
    }

    /** Forget a token at once (after revocation), so this instance refuses it immediately. */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
        lastKnown.invalidateAll();
    }

    private Future<Optional<Token>> lookup(String secret) {
        return Future.fromCompletionStage(cache.get(secret,
                        (key, executor) -> tokens.findBySecret(key).toCompletionStage().toCompletableFuture()))
                .onSuccess(token -> lastKnown.put(secret, token))
                .recover(e -> {
                    Optional<Token> known = lastKnown.getIfPresent(secret);
                    return known != null ? Future.succeededFuture(known) : Future.failedFuture(e);
                });
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
            throw ApiError.unauthorized("send a token as 'Authorization: Bearer <token>'");
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw ApiError.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        String secret = parts[1].trim();
        if (secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH || secret.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw ApiError.unauthorized("the token is not valid");
        }
        return secret;
    }
}
