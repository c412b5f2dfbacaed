package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentData;

import java.util.function.Consumer;

/**
 * Where a client's flag data comes from: bootstrap data, test flags, and (with the live feed) the
 * server's stream or polling. A source pushes complete environment data into the sink; the client
 * compiles and swaps it in. Sources never evaluate anything.
 */
public interface DataSource extends AutoCloseable {

    /** Starts delivering data to {@code sink}; may deliver at once, later, or never. */
    void start(Consumer<EnvironmentData> sink);

    @Override
    void close();
}
