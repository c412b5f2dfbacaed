package dev.darklaunch.sdk.micrometer;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A timer that records into the application's timer and tracks each duration, in milliseconds,
 * as an event named like the timer; see {@link DarklaunchMetrics#track(DarklaunchClient, Timer, Supplier)}.
 * Everything it reads (count, totals, snapshots) is the wrapped timer's.
 */
final class TrackingTimer implements Timer {

    private static final double NANOS_PER_MILLI = 1e6;

    private final DarklaunchClient client;
    private final Timer timer;
    private final Supplier<Context> context;
    private final String event;

    TrackingTimer(DarklaunchClient client, Timer timer, Supplier<Context> context) {
        this.client = client;
        this.timer = timer;
        this.context = context;
        this.event = timer.getId().getName();
    }

    @Override
    public void record(long amount, TimeUnit unit) {
        timer.record(amount, unit);
        if (amount >= 0) { // a timer ignores negative durations; so does the guard
            client.track(event, DarklaunchMetrics.contextOf(context), unit.toNanos(amount) / NANOS_PER_MILLI);
        }
    }

    @Override
    public <T> T record(Supplier<T> f) {
        long start = System.nanoTime();
        try {
            return f.get();
        } finally {
            record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public <T> T recordCallable(Callable<T> f) throws Exception {
        long start = System.nanoTime();
        try {
            return f.call();
        } finally {
            record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void record(Runnable f) {
        long start = System.nanoTime();
        try {
            f.run();
        } finally {
            record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public long count() {
        return timer.count();
    }

    @Override
    public double totalTime(TimeUnit unit) {
        return timer.totalTime(unit);
    }

    @Override
    public double max(TimeUnit unit) {
        return timer.max(unit);
    }

    @Override
    public TimeUnit baseTimeUnit() {
        return timer.baseTimeUnit();
    }

    @Override
    public HistogramSnapshot takeSnapshot() {
        return timer.takeSnapshot();
    }

    @Override
    public Id getId() {
        return timer.getId();
    }
}
