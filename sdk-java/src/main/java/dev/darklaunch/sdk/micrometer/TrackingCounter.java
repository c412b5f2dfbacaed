package dev.darklaunch.sdk.micrometer;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import io.micrometer.core.instrument.Counter;

import java.util.function.Supplier;

/**
 * A counter that counts into the application's counter and tracks each increment as an event
 * named like the counter, with the amount as its value; see
 * {@link DarklaunchMetrics#track(DarklaunchClient, Counter, Supplier)}.
 */
final class TrackingCounter implements Counter {

    private final DarklaunchClient client;
    private final Counter counter;
    private final Supplier<Context> context;
    private final String event;

    TrackingCounter(DarklaunchClient client, Counter counter, Supplier<Context> context) {
        this.client = client;
        this.counter = counter;
        this.context = context;
        this.event = counter.getId().getName();
    }

    @Override
    public void increment(double amount) {
        counter.increment(amount);
        client.track(event, DarklaunchMetrics.contextOf(context), amount);
    }

    @Override
    public double count() {
        return counter.count();
    }

    @Override
    public Id getId() {
        return counter.getId();
    }
}
