package dev.darklaunch.server.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting on conditions, not on time: changes reach servers and SDKs asynchronously. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Polls until the condition holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** Polls until {@code value} gives something other than null, and returns it; fails naming {@code what} after {@code timeout}. */
    public static <T> T value(Duration timeout, String what, java.util.function.Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (T got; ; LockSupport.parkNanos(POLL.toNanos())) {
            if ((got = value.get()) != null) {
                return got;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
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
