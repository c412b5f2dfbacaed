package dev.darklaunch.server.ofrep;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.feed.EnvironmentKey;
import dev.darklaunch.server.feed.Feed;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.http.EventStreamResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OFREP's change notification for bulk clients (ADR 0008, {@code event-streams.yaml}): a
 * Server-Sent Events stream per environment that says {@code refetchEvaluation} whenever the
 * environment's revision on this instance changes; the client then asks the bulk endpoint again,
 * with its ETag, and gets 304 if its own answers did not change. Notification only, as the
 * protocol specifies: no flag data crosses the stream.
 *
 * <p>The revisions are looked at every {@link #CHECK_INTERVAL} rather than hooked into the feed's
 * patch path: a few dozen map reads per tick cost nothing, and the feed stays as it is. Streams
 * are bounded like the SDK feed's: heartbeats, a jittered lifetime, and a cap per token.
 */
final class OfrepEvents implements AutoCloseable {

    static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

    private final Vertx vertx;
    private final Feed feed;
    private final FeedSettings settings;
    private final Map<EnvironmentKey, Set<EventStreamResponse>> streams = new ConcurrentHashMap<>();
    private final Map<EnvironmentKey, Long> revisions = new ConcurrentHashMap<>();
    private final Map<Long, Integer> perToken = new ConcurrentHashMap<>();
    private final Map<Long, Set<EventStreamResponse>> byToken = new ConcurrentHashMap<>();
    private final long checks;
    private final long heartbeats;

    OfrepEvents(Vertx vertx, Feed feed, FeedSettings settings) {
        this.vertx = vertx;
        this.feed = feed;
        this.settings = settings;
        this.checks = vertx.setPeriodic(CHECK_INTERVAL.toMillis(), id -> check());
        this.heartbeats = vertx.setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
    }

    /**
     * Starts a stream on the response.
     *
     * @throws Failure 429 beyond the token's stream cap, 503 when the environment is not loaded yet
     */
    void open(HttpServerResponse response, EnvironmentKey environment, long tokenId) {
        if (feed.revision(environment) < 0) {
            throw Failure.unavailable("the data of this environment is not loaded on this server yet; retry shortly");
        }
        int held = perToken.merge(tokenId, 1, Integer::sum);
        if (held > settings.maxStreamsPerToken()) {
            perToken.merge(tokenId, -1, Integer::sum);
            throw Failure.tooManyRequests("this token already has " + (held - 1)
                    + " open event streams on this server, the most it may hold");
        }
        Set<EventStreamResponse> open = streams.computeIfAbsent(environment, e -> ConcurrentHashMap.newKeySet());
        revisions.putIfAbsent(environment, feed.revision(environment));
        long[] lifetime = {-1};
        EventStreamResponse[] stream = new EventStreamResponse[1];
        Set<EventStreamResponse> ofToken = byToken.computeIfAbsent(tokenId, id -> ConcurrentHashMap.newKeySet());
        stream[0] = new EventStreamResponse(response, "OFREP events of " + environment, () -> {
            open.remove(stream[0]);
            ofToken.remove(stream[0]);
            perToken.merge(tokenId, -1, Integer::sum);
            vertx.cancelTimer(lifetime[0]);
        });
        stream[0].start();
        open.add(stream[0]);
        ofToken.add(stream[0]);
        long millis = (long) (settings.streamLifetime().toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        lifetime[0] = vertx.setTimer(Math.max(1, millis), id -> stream[0].close());
    }

    /** A token was revoked (on any instance): its streams end now, not at the end of their lifetime. */
    void tokenRevoked(long tokenId) {
        Set<EventStreamResponse> held = byToken.remove(tokenId);
        if (held != null) {
            Set.copyOf(held).forEach(EventStreamResponse::close);
        }
    }

    private void check() {
        streams.forEach((environment, open) -> {
            long revision = feed.revision(environment);
            Long seen = revisions.put(environment, revision);
            if (seen != null && seen != revision && !open.isEmpty()) {
                Buffer event = event(revision);
                open.forEach(stream -> stream.send(event));
            }
        });
    }

    /** One {@code refetchEvaluation} notification; its id is the revision, as on the SDK feed. */
    static Buffer event(long revision) {
        return Buffer.buffer("id: " + revision + "\nevent: message\ndata: {\"type\":\"refetchEvaluation\",\"lastModified\":"
                + System.currentTimeMillis() / 1000 + "}\n\n");
    }

    private void heartbeat() {
        streams.values().forEach(open -> open.forEach(stream -> stream.send(HEARTBEAT)));
    }

    @Override
    public void close() {
        vertx.cancelTimer(checks);
        vertx.cancelTimer(heartbeats);
        streams.values().forEach(open -> Set.copyOf(open).forEach(EventStreamResponse::close));
    }
}
