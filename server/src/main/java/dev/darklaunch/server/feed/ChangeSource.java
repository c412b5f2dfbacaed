package dev.darklaunch.server.feed;

import io.vertx.core.Future;

/**
 * Feeds the in-memory snapshots of every environment. The database-backed source
 * ({@link PostgresChangeSource}) follows PostgreSQL; a later relay source can follow another
 * instance's stream instead — the SDK feed does not know which one it has.
 */
public interface ChangeSource {

    /** Starts delivering to the sink; completes once every known environment has had its first snapshot. */
    Future<Void> start(FeedSink sink);

    Future<Void> close();
}
