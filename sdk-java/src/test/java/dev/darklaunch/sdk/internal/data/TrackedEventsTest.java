package dev.darklaunch.sdk.internal.data;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Tracked events summed per name and minute: boundaries, caps, invalid input, concurrency. */
class TrackedEventsTest {

    private static final long T0 = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

    private final AtomicLong clock = new AtomicLong(T0 + 5_000);
    private final TrackedEvents events = new TrackedEvents(clock::get);

    @Test
    void eventsAreCountedAndTheirValuesSummedPerNameAndMinute() {
        events.track("checkout", 10);
        events.track("checkout", 2.5);
        events.track("signup", 0);

        assertThat(events.take()).containsExactlyInAnyOrder(
                new TrackedEvents.Bucket(Instant.ofEpochMilli(T0), "checkout", 2, 12.5),
                new TrackedEvents.Bucket(Instant.ofEpochMilli(T0), "signup", 1, 0));
        assertThat(events.take()).as("taking resets").isEmpty();
    }

    @Test
    void anEventJustBeforeAndOneAtAMinuteBoundaryLandInTheirOwnMinutes() {
        clock.set(T0 + 59_999);
        events.track("checkout", 1);
        clock.set(T0 + 60_000);
        events.track("checkout", 2);
        events.track("checkout", 3);

        assertThat(events.take()).containsExactlyInAnyOrder(
                new TrackedEvents.Bucket(Instant.ofEpochMilli(T0), "checkout", 1, 1),
                new TrackedEvents.Bucket(Instant.ofEpochMilli(T0 + 60_000), "checkout", 2, 5));
    }

    @Test
    void aClockThatStepsBackCountsIntoTheNewestMinuteInsteadOfLosingEvents() {
        clock.set(T0 + 60_000);
        events.track("checkout", 1);
        clock.set(T0 + 59_000);
        events.track("checkout", 1);

        assertThat(events.take()).containsExactly(new TrackedEvents.Bucket(Instant.ofEpochMilli(T0 + 60_000), "checkout", 2, 2));
    }

    @Test
    void aMinuteKeepsAtMostTheCappedNumberOfNamesAndCountsWhatItDrops() {
        for (int i = 0; i < TrackedEvents.MAX_NAMES_PER_MINUTE; i++) {
            events.track("user-" + i, 1);
        }
        events.track("user-too-many", 1);
        events.track("user-too-many", 1);
        events.track("user-0", 1); // a known name still counts

        assertThat(events.dropped()).isEqualTo(2);
        List<TrackedEvents.Bucket> taken = events.take();
        assertThat(taken).hasSize(TrackedEvents.MAX_NAMES_PER_MINUTE);
        assertThat(taken.stream().mapToLong(TrackedEvents.Bucket::count).sum()).isEqualTo(TrackedEvents.MAX_NAMES_PER_MINUTE + 1);

        clock.addAndGet(60_000);
        events.track("user-too-many", 1);
        assertThat(events.take()).as("the next minute has room again")
                .containsExactly(new TrackedEvents.Bucket(Instant.ofEpochMilli(T0 + 60_000), "user-too-many", 1, 1));
    }

    @Test
    void invalidInputIsIgnoredAndCountedNeverThrown() {
        assertThatCode(() -> {
            events.track(null, 1);
            events.track("", 1);
            events.track("   ", 1);
            events.track("x".repeat(TrackedEvents.MAX_NAME_LENGTH + 1), 1);
            events.track("line\nbreak", 1);
            events.track("lone \uD800 surrogate", 1);
            events.track("checkout", Double.NaN);
            events.track("checkout", Double.POSITIVE_INFINITY);
            events.track("checkout", Double.NEGATIVE_INFINITY);
        }).doesNotThrowAnyException();

        assertThat(events.invalid()).isEqualTo(9);
        assertThat(events.take()).isEmpty();

        events.track("x".repeat(TrackedEvents.MAX_NAME_LENGTH), 1);
        events.track("emoji \uD83D\uDE00 ok", 1);
        assertThat(events.take()).hasSize(2);
    }

    @Test
    void minutesNoOneTakesAreForgottenBeyondTheCapAndCounted() {
        for (int minute = 0; minute <= TrackedEvents.MAX_OPEN_MINUTES + 2; minute++) {
            clock.set(T0 + minute * 60_000L);
            events.track("checkout", 1);
        }

        List<TrackedEvents.Bucket> taken = events.take();
        assertThat(taken).hasSize(TrackedEvents.MAX_OPEN_MINUTES + 1);
        assertThat(events.dropped()).isEqualTo(2);
    }

    @Test
    void concurrentTrackingAcrossMinuteBoundariesAndTakesLosesAndDuplicatesNothing() throws Exception {
        int threads = 4;
        int perThread = 200_000;
        List<String> names = List.of("a", "b", "c");
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    events.track(names.get(i % names.size()), 2);
                    if (i % 50_000 == 0) {
                        // cross a minute boundary while the others count and the taker takes; the
                        // clock stays within two minutes, as a stall past a whole minute is out of scope
                        clock.addAndGet(5_000);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        Map<String, long[]> totals = new HashMap<>();
        Thread taker = new Thread(() -> {
            while (!done.get()) {
                add(totals, events.take());
            }
        });
        taker.start();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        done.set(true);
        taker.join();
        add(totals, events.take());

        long expected = (long) threads * perThread;
        assertThat(totals.values().stream().mapToLong(t -> t[0]).sum()).isEqualTo(expected);
        assertThat(totals.values().stream().mapToLong(t -> t[1]).sum()).isEqualTo(2 * expected);
        assertThat(events.dropped()).isZero();
    }

    private static synchronized void add(Map<String, long[]> totals, List<TrackedEvents.Bucket> buckets) {
        for (TrackedEvents.Bucket bucket : buckets) {
            long[] total = totals.computeIfAbsent(bucket.name(), k -> new long[2]);
            total[0] += bucket.count();
            total[1] += (long) bucket.sum();
        }
    }
}
