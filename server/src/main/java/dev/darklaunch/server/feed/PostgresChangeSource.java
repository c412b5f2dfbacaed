package dev.darklaunch.server.feed;

import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.flags.EnvironmentDataStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Follows PostgreSQL: loads every environment at start, LISTENs for the wake-ups that every change
 * sends ({@value ChangeLog#CHANNEL}, "environment id:revision"), and on each one reads the change
 * log after the revision it serves and the current rows of what changed — one patch per catch-up.
 * A periodic reconcile compares every revision with the database, which repairs lost notifications,
 * picks up new environments, and recovers after the database or the LISTEN connection was away.
 * Also LISTENs on {@value #TOKENS_CHANNEL} for revoked tokens (and re-checks the tokens of open
 * streams on each reconcile).
 *
 * <p>Catch-ups of one environment never overlap: a wake-up during a catch-up runs another after it.
 * Failures (the database is down) are logged and left to the next wake-up or reconcile; the feed
 * keeps serving what it has.
 */
public final class PostgresChangeSource implements ChangeSource {

    /** Channel of token revocations; the payload is the token id. */
    public static final String TOKENS_CHANNEL = "darklaunch_tokens";

    private static final Logger log = LoggerFactory.getLogger(PostgresChangeSource.class);

    private final Vertx vertx;
    private final FeedStore store;
    private final EnvironmentDataStore data;
    private final PgConnectOptions connectOptions;
    private final Duration reconcileInterval;
    private final LongConsumer onTokenRevoked;
    private final Map<Long, Tracked> environments = new ConcurrentHashMap<>();
    private PgSubscriber subscriber;
    private FeedSink sink;
    private long reconcileTimer = -1;
    private volatile boolean closed;
    private volatile boolean databaseDown;

    /**
     * @param onTokenRevoked also told of every revoked token (to drop cached credentials)
     */
    public PostgresChangeSource(Vertx vertx, FeedStore store, EnvironmentDataStore data, PgConnectOptions connectOptions,
                                Duration reconcileInterval, LongConsumer onTokenRevoked) {
        this.vertx = vertx;
        this.store = store;
        this.data = data;
        this.connectOptions = connectOptions;
        this.reconcileInterval = reconcileInterval;
        this.onTokenRevoked = onTokenRevoked;
    }

    /** One environment as this source follows it. */
    private static final class Tracked {
        final long id;
        final EnvironmentKey key;
        boolean busy;
        boolean again;

        Tracked(long id, EnvironmentKey key) {
            this.id = id;
            this.key = key;
        }
    }

    @Override
    public Future<Void> start(FeedSink feedSink) {
        this.sink = feedSink;
        subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(connectOptions).setReconnectAttempts(0))
                // forever, at most a few seconds apart: the reconcile covers what happens meanwhile
                .reconnectPolicy(retries -> closed ? -1L : Math.min(5_000L, 250L << Math.min(retries, 5)));
        subscriber.closeHandler(v -> {
            if (!closed) {
                log.warn("lost the LISTEN connection for feed changes; reconnecting (the reconcile covers the gap)");
            }
        });
        subscriber.channel(ChangeLog.CHANNEL)
                .handler(this::changed)
                // also after every reconnect: catch up with whatever was committed meanwhile
                .subscribeHandler(v -> reconcile());
        subscriber.channel(TOKENS_CHANNEL).handler(this::tokenRevoked);
        return subscriber.connect()
                .compose(v -> reconcileOnce())
                .onSuccess(v -> reconcileTimer = vertx.setPeriodic(reconcileInterval.toMillis(), id -> reconcile()));
    }

    @Override
    public Future<Void> close() {
        closed = true;
        if (reconcileTimer >= 0) {
            vertx.cancelTimer(reconcileTimer);
        }
        return subscriber == null ? Future.succeededFuture() : subscriber.close();
    }

    private void changed(String payload) {
        int colon = payload.indexOf(':');
        long environmentId;
        long revision;
        try {
            environmentId = Long.parseLong(payload.substring(0, colon));
            revision = Long.parseLong(payload.substring(colon + 1));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("payload", payload).log("ignored a malformed change notification");
            return;
        }
        Tracked tracked = environments.get(environmentId);
        if (tracked == null) {
            reconcile(); // a new environment
        } else if (revision > sink.revision(tracked.key)) {
            catchUp(tracked);
        }
    }

    private void tokenRevoked(String payload) {
        try {
            revoked(Long.parseLong(payload.trim()));
        } catch (NumberFormatException e) {
            log.atWarn().addKeyValue("payload", payload).log("ignored a malformed token notification");
        }
    }

    private void revoked(long tokenId) {
        onTokenRevoked.accept(tokenId);
        sink.tokenRevoked(tokenId);
    }

    private void reconcile() {
        if (!closed) {
            reconcileOnce().onFailure(e -> { });
        }
    }

    /** Compares every environment's revision with the database's; loads new ones, catches up the rest. */
    private Future<Void> reconcileOnce() {
        Future<Void> revisions = store.environments().compose(rows -> {
            Future<Void> firstLoads = Future.succeededFuture();
            for (FeedStore.EnvironmentRevision row : rows) {
                Tracked tracked = environments.computeIfAbsent(row.id(), id -> new Tracked(id, row.key()));
                if (sink.revision(tracked.key) < 0) {
                    Future<Void> loaded = loadWhole(tracked);
                    firstLoads = firstLoads.compose(v -> loaded);
                } else if (row.revision() > sink.revision(tracked.key)) {
                    catchUp(tracked);
                }
            }
            return firstLoads;
        });
        Future<Void> tokens = store.revoked(sink.streamingTokens())
                .map(ids -> {
                    ids.forEach(this::revoked);
                    return null;
                });
        return Future.all(revisions, tokens).<Void>mapEmpty()
                .onSuccess(v -> {
                    if (databaseDown) {
                        databaseDown = false;
                        log.info("feed: the database is back; caught up");
                    }
                })
                .onFailure(this::failed);
    }

    private Future<Void> loadWhole(Tracked tracked) {
        return data.load(tracked.id).map(loaded -> {
            sink.snapshot(tracked.key, loaded);
            return null;
        });
    }

    private void catchUp(Tracked tracked) {
        synchronized (tracked) {
            if (tracked.busy) {
                tracked.again = true;
                return;
            }
            tracked.busy = true;
        }
        long after = sink.revision(tracked.key);
        store.changesAfter(tracked.id, after)
                .compose(changes -> {
                    if (changes.revision() <= after) {
                        return Future.succeededFuture();
                    }
                    if (changes.patch().isPresent()) {
                        sink.patch(tracked.key, changes.patch().get(), changes.committedAtMillis());
                        return Future.<Void>succeededFuture();
                    }
                    return loadWhole(tracked);
                })
                .onFailure(this::failed)
                .onComplete(done -> {
                    boolean again;
                    synchronized (tracked) {
                        tracked.busy = false;
                        again = tracked.again;
                        tracked.again = false;
                    }
                    if (again && !closed) {
                        catchUp(tracked);
                    }
                });
    }

    private void failed(Throwable e) {
        if (closed) {
            return;
        }
        if (!databaseDown) {
            databaseDown = true;
            log.atWarn().setCause(e).log("feed: cannot read changes from the database; serving the last snapshots until it is back");
        } else {
            log.atDebug().setCause(e).log("feed: database still unavailable");
        }
    }
}
