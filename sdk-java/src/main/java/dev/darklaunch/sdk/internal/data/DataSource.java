package dev.darklaunch.sdk.internal.data;

/**
 * Where a client's flag data comes from: bootstrap data, test flags, the server's stream or
 * polling. A source pushes complete environment data into the sink; the client compiles and swaps
 * it in. Sources never evaluate anything.
 */
public interface DataSource extends AutoCloseable {

    /** Starts delivering data to {@code sink}; may deliver at once, later, or never. Returns at once. */
    void start(DataSink sink);

    /** Stops delivering; releases threads and connections. Idempotent. */
    @Override
    void close();
}
