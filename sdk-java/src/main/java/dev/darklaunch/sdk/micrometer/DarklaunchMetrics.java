package dev.darklaunch.sdk.micrometer;

import dev.darklaunch.sdk.ClientMetrics;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Publishes a {@link DarklaunchClient}'s health and use to a Micrometer registry:
 * {@code new DarklaunchMetrics(client).bindTo(registry)}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code darklaunch.sdk.evaluations}</td><td>function counter, tag {@code served}:
 *       {@code variation} or {@code default}</td><td>evaluations since the start (while evaluation counts are on)</td></tr>
 *   <tr><td>{@code darklaunch.sdk.status}</td><td>gauge, tag {@code state}: {@code initializing}, {@code ready},
 *       {@code stale}, {@code error}</td><td>1 for the client's current state, 0 for the others</td></tr>
 *   <tr><td>{@code darklaunch.sdk.data.age}</td><td>gauge, seconds</td><td>how old the served flag data is;
 *       NaN without data</td></tr>
 *   <tr><td>{@code darklaunch.sdk.reconnects}</td><td>function counter</td><td>times the stream was opened again (streaming clients; a polling client has none)</td></tr>
 *   <tr><td>{@code darklaunch.sdk.events.ignored}, {@code darklaunch.sdk.events.dropped}</td><td>function counters</td>
 *       <td>{@code track} calls ignored for invalid input; tracked events dropped to bound memory</td></tr>
 * </table>
 *
 * Evaluations carry no flag tag, deliberately: a tag per flag (and variation) makes a time series
 * per flag in every application instance, unbounded by anything the application controls, and the
 * server already keeps each flag's evaluations (its usage). Reading the meters costs nothing on the
 * evaluation path: they read counters the SDK keeps anyway, when the registry asks.
 *
 * <p>The other way round, {@link #track(DarklaunchClient, Timer, Supplier)} and
 * {@link #track(DarklaunchClient, Counter, Supplier)} let a timer or counter the application
 * already has feed a guarded release's guards: what it records becomes a tracked event.
 *
 * <p>Micrometer is an optional dependency of the SDK: only this package needs it on the classpath.
 */
public final class DarklaunchMetrics implements MeterBinder {

    private final DarklaunchClient client;
    private final Tags tags;

    /** Binds {@code client}'s meters with no extra tags. */
    public DarklaunchMetrics(DarklaunchClient client) {
        this(client, Tags.empty());
    }

    /** Binds {@code client}'s meters with {@code tags} added to each (such as the environment, when an application has several clients). */
    public DarklaunchMetrics(DarklaunchClient client, Iterable<Tag> tags) {
        this.client = Objects.requireNonNull(client, "client");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "darklaunch.sdk.evaluations", "evaluations that served one of the flag's variations",
                Tags.of("served", "variation"), ClientMetrics::evaluations);
        counter(registry, "darklaunch.sdk.evaluations", "evaluations that served the caller's default",
                Tags.of("served", "default"), ClientMetrics::defaultsServed);
        counter(registry, "darklaunch.sdk.reconnects", "times the stream to the server was opened again",
                Tags.empty(), ClientMetrics::reconnects);
        counter(registry, "darklaunch.sdk.events.ignored", "track calls ignored for invalid input",
                Tags.empty(), ClientMetrics::eventsIgnored);
        counter(registry, "darklaunch.sdk.events.dropped", "tracked events dropped to bound memory or refused by the server",
                Tags.empty(), ClientMetrics::eventsDropped);
        for (Status.State state : Status.State.values()) {
            Gauge.builder("darklaunch.sdk.status", client, c -> c.status().state() == state ? 1 : 0)
                    .description("1 for the state the client's flag data is in, 0 for the others")
                    .tags(tags).tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("darklaunch.sdk.data.age", client,
                        c -> c.status().dataAge().map(age -> age.toNanos() / 1e9).orElse(Double.NaN))
                .description("how old the served flag data is: time since the server last sent or confirmed it")
                .baseUnit("seconds").tags(tags)
                .register(registry);
    }

    /**
     * A timer that records into {@code timer} and also tracks every recorded duration as the event
     * named like the timer ({@code timer.getId().getName()}), with the duration in milliseconds as
     * its value, for the context {@code context} supplies at that moment — so that a latency guard
     * on a guarded release compares the mean durations of the release's variations. Record
     * through the returned timer where the code recorded through {@code timer}; its readings are
     * {@code timer}'s. Tags are not part of the event name: timers of one name share one event.
     *
     * <pre>{@code
     * Timer checkout = DarklaunchMetrics.track(client, registry.timer("checkout.latency"), () -> currentUserContext());
     * checkout.record(() -> placeOrder(order));
     * }</pre>
     *
     * @param context the context of the current request (for example from a request-scoped
     *                holder); called on every recording; null, or a supplier that throws, counts the
     *                duration towards no variation (the event is still counted)
     */
    public static Timer track(DarklaunchClient client, Timer timer, Supplier<Context> context) {
        return new TrackingTimer(Objects.requireNonNull(client, "client"), Objects.requireNonNull(timer, "timer"),
                Objects.requireNonNull(context, "context"));
    }

    /**
     * A counter that counts into {@code counter} and also tracks every increment as the event named
     * like the counter, with the amount as its value, for the context {@code context} supplies —
     * so that a guard compares the event's rate per exposure across a guarded release's variations.
     * Otherwise as {@link #track(DarklaunchClient, Timer, Supplier)}.
     */
    public static Counter track(DarklaunchClient client, Counter counter, Supplier<Context> context) {
        return new TrackingCounter(Objects.requireNonNull(client, "client"), Objects.requireNonNull(counter, "counter"),
                Objects.requireNonNull(context, "context"));
    }

    /** The supplied context, or null if the supplier fails: recording into a meter must never throw. */
    static Context contextOf(Supplier<Context> context) {
        try {
            return context.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra,
                         ToLongFunction<ClientMetrics> count) {
        FunctionCounter.builder(name, client, c -> count.applyAsLong(c.metrics()))
                .description(description).tags(tags.and(extra))
                .register(registry);
    }
}
