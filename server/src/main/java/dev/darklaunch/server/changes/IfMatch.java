package dev.darklaunch.server.changes;

import dev.darklaunch.server.failures.Failure;
import io.vertx.core.Future;

import java.util.OptionalLong;

/**
 * Optimistic concurrency of every versioned write: If-Match names the version the caller read,
 * and a write to any other version fails with {@link Failure.PreconditionFailed} (412), checked
 * after the write has locked what it changes.
 */
public final class IfMatch {

    private IfMatch() {
    }

    /** Succeeds when the caller named no version or the current one; fails the future otherwise (never throws). */
    public static Future<Void> check(OptionalLong expected, long current) {
        return expected.isPresent() && expected.getAsLong() != current
                ? Future.failedFuture(Failure.versionMismatch(expected.getAsLong(), current)) : Future.succeededFuture();
    }
}
