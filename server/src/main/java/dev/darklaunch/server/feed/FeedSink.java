package dev.darklaunch.server.feed;

import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentData;

/**
 * Where a {@link ChangeSource} delivers what it learns. Implemented by the {@link Feed}; calls may
 * come from any thread, but a source delivers the updates of one environment one at a time.
 */
public interface FeedSink {

    /** The revision this instance serves for the environment, or -1 when it has none yet. */
    long revision(EnvironmentKey environment);

    /**
     * Replaces the environment's data (first load, a new environment, or a gap a patch cannot
     * bridge). Data at or below the current revision is ignored.
     */
    void snapshot(EnvironmentKey environment, EnvironmentData data);

    /**
     * Applies a patch whose {@code previous} is the current revision; any other patch is ignored
     * (and the source is expected to send a snapshot or a bridging patch later).
     *
     * @param committedAtMillis when the newest change in the patch was committed, for the propagation-lag metric;
     *                          0 when unknown
     */
    void patch(EnvironmentKey environment, EnvironmentPatch patch, long committedAtMillis);

    /** Ids of the tokens with streams open (a source re-checks them, in case a revocation notice was lost). */
    java.util.Set<Long> streamingTokens();

    /** A token was revoked: its open streams must end now. */
    void tokenRevoked(long tokenId);
}
