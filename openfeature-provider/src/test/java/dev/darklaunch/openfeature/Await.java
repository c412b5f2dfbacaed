package dev.darklaunch.openfeature;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting on conditions, not on time: events reach handlers on other threads. */
final class Await {

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        Duration timeout = Duration.ofSeconds(20); // generous for a loaded 2-core machine; returns as soon as it holds
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
