package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentPatch;

/** What a {@link DataSource} reports to: new data, and how its connection is doing. */
public interface DataSink {

    /**
     * New complete data. Throws (any runtime exception) when the data cannot be used; the source
     * then keeps its previous data and treats the input as malformed.
     */
    void apply(EnvironmentData data);

    /**
     * A change to the data last applied, which must be at the patch's {@code previous} revision.
     * Throws (any runtime exception) when it cannot be used; the source then keeps its previous
     * data and treats the input as malformed.
     */
    void apply(EnvironmentPatch patch);

    /**
     * The source's data is confirmed current by the server: a heartbeat on a live or resumed
     * stream, a poll answered 304. Never called for response headers alone.
     */
    default void healthy() {
    }

    /**
     * The source lost its connection or could not get data; the last good data stays in use.
     *
     * @param error        what went wrong, for status and logs (never contains the token)
     * @param unauthorized whether the server refused the token (401/403): retried only after a long pause
     */
    default void failed(String error, boolean unauthorized) {
    }

    /** The source's connection ended (normally or not) and it will connect again: a reconnect, for metrics. */
    default void reconnecting() {
    }
}
