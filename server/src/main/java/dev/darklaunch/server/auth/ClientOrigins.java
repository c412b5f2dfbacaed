package dev.darklaunch.server.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The web origins listed on any active client token, for answering CORS preflight requests,
 * which carry no token (browsers send them without credentials). Kept in memory and refreshed in
 * the background, like token lookups: while the database is down, the last known list answers.
 */
public final class ClientOrigins {

    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final String ALL = "all";

    private final AsyncLoadingCache<String, Set<String>> cache;

    public ClientOrigins(TokenStore tokens) {
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(REFRESH)
                .buildAsync((key, executor) -> tokens.clientOrigins().toCompletionStage().toCompletableFuture());
    }

    /** Whether some active client token lists this origin. */
    public Future<Boolean> listed(String origin) {
        CompletableFuture<Set<String>> origins = cache.get(ALL);
        if (origins.isDone() && !origins.isCompletedExceptionally()) {
            return Future.succeededFuture(origins.join().contains(origin));
        }
        return Future.fromCompletionStage(origins, Vertx.currentContext()).map(set -> set.contains(origin));
    }

    /** Tokens were created or revoked on this instance: read the list again on next use. */
    public void changed() {
        cache.synchronous().invalidateAll();
    }
}
