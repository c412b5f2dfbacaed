package dev.darklaunch.server.store;

import dev.darklaunch.server.failures.Failure;

import java.util.OptionalLong;

/**
 * A resource with a version: reads return it (HTTP shows it as the ETag), and a write that names
 * the version it expects ({@code If-Match}) applies only to that version. No lost updates.
 */
public interface Versioned {

    long version();

    /** Fails with {@link Failure.PreconditionFailed} when the caller expects another version than the current one. */
    static void check(OptionalLong expected, long current) {
        if (expected.isPresent() && expected.getAsLong() != current) {
            throw Failure.versionMismatch(expected.getAsLong(), current);
        }
    }
}
