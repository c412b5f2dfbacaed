package dev.darklaunch.sdk.internal.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The application's tracked events, summed in memory per event name and wall-clock minute (count
 * and value sum) until the metrics reporter takes them. Recording one is a clock read, a map
 * lookup and two adder updates: no lock, no allocation once a name has been seen in the minute.
 *
 * <p>Memory is bounded: at most {@value #MAX_NAMES_PER_MINUTE} distinct names per minute (more are
 * dropped and counted, as when a caller puts user ids into event names) and at most
 * {@value #MAX_OPEN_MINUTES} minutes not yet taken. Invalid input is ignored, counted and logged
 * at most once a minute; it never throws into the caller.
 *
 * <p>Counts and sums are additive across clients, minutes and reports, which is what the server's
 * per-minute buckets need; a per-flag, per-variation breakdown (and a sum of squares) would be
 * another map of tallies in the same minute, keyed by flag, variation and name.
 */
public final class TrackedEvents {

    private static final Logger log = LoggerFactory.getLogger(TrackedEvents.class);

    /** The longest event name, in UTF-16 characters; the server takes the same. */
    public static final int MAX_NAME_LENGTH = 256;
    static final int MAX_NAMES_PER_MINUTE = 1_000;
    static final int MAX_OPEN_MINUTES = 10;
    private static final long MINUTE = 60_000;

    private final LongSupplier clock;
    private final Object rollLock = new Object();
    private volatile Minute current;
    /** Minutes that ended, taken again once more for stragglers, then forgotten; guarded by rollLock. */
    private final List<Minute> ended = new ArrayList<>();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastInvalidWarning = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastDropWarning = new AtomicLong(Long.MIN_VALUE);

    public TrackedEvents() {
        this(System::currentTimeMillis);
    }

    /** @param clock the wall clock in epoch milliseconds (tests move it) */
    public TrackedEvents(LongSupplier clock) {
        this.clock = clock;
        this.current = new Minute(Math.floorDiv(clock.getAsLong(), MINUTE));
    }

    /**
     * Counts one event of {@code name} with {@code value} added to its sum; ignores (and counts)
     * invalid input. Returns whether the input was valid (an event of a valid name and a finite
     * value, even if dropped to bound memory): only such events may be attributed to variations.
     */
    public boolean track(String name, double value) {
        if (name == null || !Double.isFinite(value)) {
            refuse(name == null ? "a null event name" : "a value that is not a finite number (" + value + ")");
            return false;
        }
        long now = clock.getAsLong();
        Minute minute = current;
        if (now < minute.start || now >= minute.start + MINUTE) {
            minute = roll(Math.floorDiv(now, MINUTE));
        }
        Tally tally = minute.tallies.get(name);
        if (tally == null) {
            String problem = problem(name);
            if (problem != null) {
                refuse(problem);
                return false;
            }
            tally = open(minute, name);
            if (tally == null) {
                return true; // valid, but too many names this minute: dropped from the sums, and counted
            }
        }
        tally.count.increment();
        if (value != 0) {
            tally.sum.add(value);
        }
        return true;
    }

    /** Events ignored for invalid input since the client started. */
    public long invalid() {
        return invalid.get();
    }

    /** Events dropped because their minute already had {@value #MAX_NAMES_PER_MINUTE} names (or too many minutes were open). */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Takes what was counted since the last call, per minute and name, and resets it. An event
     * racing with this is taken now or next time, never lost, unless its thread stalled for more
     * than a minute between reading the clock and counting.
     */
    public List<Bucket> take() {
        List<Bucket> taken = new ArrayList<>();
        synchronized (rollLock) {
            for (Minute minute : ended) {
                minute.drainInto(taken);
            }
            current.drainInto(taken);
            long now = Math.floorDiv(clock.getAsLong(), MINUTE) * MINUTE;
            ended.removeIf(minute -> minute.start < now - MINUTE);
        }
        return taken;
    }

    /** One minute's count and value sum of one event name. */
    public record Bucket(Instant minute, String name, long count, double sum) {
    }

    private Minute roll(long minuteNumber) {
        synchronized (rollLock) {
            Minute minute = current;
            long start = minuteNumber * MINUTE;
            if (start <= minute.start) {
                return minute; // another thread rolled, or the clock stepped back: count into the newest minute
            }
            ended.add(minute);
            while (ended.size() > MAX_OPEN_MINUTES) {
                // no one takes the minutes (the reporter is stuck): forget the oldest, say how much
                Minute forgotten = ended.remove(0);
                List<Bucket> lost = new ArrayList<>();
                forgotten.drainInto(lost);
                dropped.addAndGet(lost.stream().mapToLong(Bucket::count).sum());
            }
            Minute next = new Minute(minuteNumber);
            current = next;
            return next;
        }
    }

    /** The minute's tally of a valid name, opened now; null when the minute has too many names. */
    private Tally open(Minute minute, String name) {
        if (minute.names.incrementAndGet() > MAX_NAMES_PER_MINUTE) {
            minute.names.decrementAndGet();
            dropped.incrementAndGet();
            warn(lastDropWarning, "Darklaunch: more than {} distinct event names in one minute; dropping events of new names "
                    + "({} dropped so far). Event names should be a small fixed set; put ids in the context instead",
                    MAX_NAMES_PER_MINUTE, dropped.get());
            return null;
        }
        Tally fresh = new Tally();
        Tally existing = minute.tallies.putIfAbsent(name, fresh);
        if (existing != null) {
            minute.names.decrementAndGet();
            return existing;
        }
        return fresh;
    }

    /** Why a name cannot be an event name, or null: blank, too long, control characters, broken UTF-16. */
    public static String problem(String name) {
        if (name.isBlank()) {
            return "a blank event name";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "an event name longer than " + MAX_NAME_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return "an event name with control characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "an event name with an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }

    private void refuse(String problem) {
        invalid.incrementAndGet();
        warn(lastInvalidWarning, "Darklaunch: ignoring a tracked event with {} ({} ignored so far)", problem, invalid.get());
    }

    /** Logs at most once a minute, so a caller's bug in a hot loop cannot flood the log. */
    private static void warn(AtomicLong lastWarning, String message, Object... arguments) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if ((last == Long.MIN_VALUE || now - last >= 60_000_000_000L) && lastWarning.compareAndSet(last, now)) {
            log.warn(message, arguments);
        }
    }

    private static final class Minute {
        final long start;
        final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
        final AtomicInteger names = new AtomicInteger();

        Minute(long minuteNumber) {
            this.start = minuteNumber * MINUTE;
        }

        void drainInto(List<Bucket> taken) {
            Instant at = Instant.ofEpochMilli(start);
            tallies.forEach((name, tally) -> {
                long count = tally.count.sumThenReset();
                double sum = tally.sum.sumThenReset();
                if (count != 0 || sum != 0) {
                    taken.add(new Bucket(at, name, count, sum));
                }
            });
        }
    }

    private static final class Tally {
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();
    }
}
