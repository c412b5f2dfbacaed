package dev.darklaunch.server.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on conditions, not on time: changes reach servers and SDKs asynchronously. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Polls until the condition holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        value(timeout, POLL, () -> what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Polls until {@code value} gives something other than null, and returns it; fails naming {@code what} after {@code timeout}. */
    public static <T> T value(Duration timeout, String what, Supplier<T> value) {
        return value(timeout, POLL, () -> what, value);
    }

    /**
     * Polls every {@code every} (for checks that cost the server something, or whose pace is part
     * of the test) until {@code value} gives something other than null, and returns it.
     */
    public static <T> T value(Duration timeout, Duration every, String what, Supplier<T> value) {
        return value(timeout, every, () -> what, value);
    }

    /**
     * Polls as above; {@code what} is asked for only on failure, so it can tell what things looked
     * like by then (a log's tail, say).
     */
    public static <T> T value(Duration timeout, Duration every, Supplier<String> what, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (T got; ; LockSupport.parkNanos(every.toNanos())) {
            if ((got = value.get()) != null) {
                return got;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get() + ": not within " + timeout);
            }
        }
    }

    /**
     * Waits until a moment has passed, for tests that show something does <em>not</em> happen by
     * then (a paused plan, a step due while the database is down): only the clock can say so.
     */
    public static void past(java.time.Instant moment) {
        for (long left; (left = Duration.between(java.time.Instant.now(), moment).toNanos()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    /** Waits for a start signal shared by racing threads. */
    public static void gate(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
