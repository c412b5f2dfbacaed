package dev.darklaunch.sdk.internal.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the application measured for one flag while a guarded release watches it, per served
 * variation: exposures (evaluations that served it) and, per tracked event name, how many events
 * came from contexts served it, their value sum and sum of squares. Counting one is an adder
 * update: no lock, and no allocation once an event name has been seen for the flag.
 *
 * <p>Belongs to one compiled flag: when the flag's data changes (or stops being guarded) a new
 * compiled flag starts from zero and the metrics reporter takes what this one still holds.
 * Memory is bounded: at most {@value #MAX_EVENT_NAMES} event names per flag; events of further
 * names are not attributed, and counted ({@link #dropped()}).
 */
public final class GuardedCounts {

    /** A guard watches a few events (errors, a latency): far more names is a caller's bug, such as ids in names. */
    public static final int MAX_EVENT_NAMES = 100;

    private final LongAdder[] exposures;
    private final ConcurrentHashMap<String, Tally[]> events = new ConcurrentHashMap<>();
    private final AtomicInteger names = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    GuardedCounts(int variations) {
        exposures = new LongAdder[variations];
        for (int i = 0; i < variations; i++) {
            exposures[i] = new LongAdder();
        }
    }

    /** Counts one evaluation that served {@code variation} (the caller's default, -1, is no variation's exposure). */
    void expose(int variation) {
        if (variation >= 0 && variation < exposures.length) {
            exposures[variation].increment();
        }
    }

    /**
     * Attributes one event to {@code variation}. The name and value were checked by the caller (a
     * valid event name, a finite value); a value whose square is not finite is not attributed.
     */
    public void record(String name, int variation, double value) {
        if (variation < 0 || variation >= exposures.length) {
            return;
        }
        double square = value * value;
        if (!Double.isFinite(square)) {
            dropped.increment();
            return;
        }
        Tally[] byVariation = events.get(name);
        if (byVariation == null) {
            byVariation = open(name);
            if (byVariation == null) {
                return;
            }
        }
        Tally tally = byVariation[variation];
        tally.count.increment();
        if (value != 0) {
            tally.sum.add(value);
            tally.squares.add(square);
        }
    }

    /** Events not attributed since the flag was compiled: too many names, or a value too large to square. */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Takes what was counted since the last call, per variation, and resets it. Counts racing with
     * this are taken now or next time.
     */
    public List<Taken> take() {
        List<Taken> taken = new ArrayList<>();
        for (int variation = 0; variation < exposures.length; variation++) {
            long exposed = exposures[variation].sumThenReset();
            List<EventSums> sums = new ArrayList<>();
            for (var entry : events.entrySet()) {
                Tally tally = entry.getValue()[variation];
                long count = tally.count.sumThenReset();
                double sum = tally.sum.sumThenReset();
                double squares = tally.squares.sumThenReset();
                if (count != 0) {
                    sums.add(new EventSums(entry.getKey(), count, sum, squares));
                }
            }
            if (exposed != 0 || !sums.isEmpty()) {
                taken.add(new Taken(variation, exposed, sums));
            }
        }
        return taken;
    }

    /** One variation's exposures and event sums over a period. */
    public record Taken(int variation, long exposures, List<EventSums> events) {
    }

    /** One event name's count, value sum and sum of squared values. */
    public record EventSums(String name, long count, double sum, double sumOfSquares) {
    }

    private Tally[] open(String name) {
        if (names.incrementAndGet() > MAX_EVENT_NAMES) {
            names.decrementAndGet();
            dropped.increment();
            return null;
        }
        Tally[] fresh = new Tally[exposures.length];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = new Tally();
        }
        Tally[] existing = events.putIfAbsent(name, fresh);
        if (existing != null) {
            names.decrementAndGet();
            return existing;
        }
        return fresh;
    }

    private static final class Tally {
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();
        final DoubleAdder squares = new DoubleAdder();
    }
}
