package dev.darklaunch.sdk;

import dev.darklaunch.sdk.internal.data.BackupFile;
import dev.darklaunch.sdk.internal.data.DataSink;
import dev.darklaunch.sdk.internal.data.FlagChanges;
import dev.darklaunch.sdk.internal.data.MetricsReporter;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Takes a data source's reports for one client: compiles and swaps in new data, keeps the
 * status, tells the listeners (on the events thread, never the caller's), writes the backup file
 * and hands replaced snapshots to the metrics reporter.
 */
final class Updates implements DataSink {

    private static final Logger log = LoggerFactory.getLogger(Updates.class);

    final List<Consumer<Status>> statusListeners = new CopyOnWriteArrayList<>();
    final List<Consumer<Set<String>>> flagListeners = new CopyOnWriteArrayList<>();

    private final DarklaunchClient client;
    private final DarklaunchClient.Runtime runtime;
    private final BackupFile backup;
    private final boolean counting;
    /** Whether guarded flags count exposures and attributed events (a client that reports them). */
    private final boolean guarding;
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    /** The snapshot whose data the events thread is to write to the backup file next (built there, not here). */
    private final AtomicReference<Snapshot> backupPending = new AtomicReference<>();
    private volatile MetricsReporter metrics;
    private volatile Status status = new Status(Status.State.INITIALIZING, null, null);
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong reconnects = new java.util.concurrent.atomic.AtomicLong();

    Updates(DarklaunchClient client, DarklaunchClient.Runtime runtime, BackupFile backup, boolean counting, boolean guarding) {
        this.client = client;
        this.runtime = runtime;
        this.backup = backup;
        this.counting = counting;
        this.guarding = guarding;
    }

    /** Data from the backup file or bootstrap, before the source starts. */
    void load(EnvironmentData data) {
        client.swap(Snapshot.compile(data, counting, guarding));
        status = new Status(Status.State.INITIALIZING, Instant.now(), null);
    }

    /** No source will ever answer: ready on what was loaded, or an error without data. */
    void offline() {
        status = client.snapshot() != null
                ? new Status(Status.State.READY, status.dataUpdatedAt(), null)
                : new Status(Status.State.ERROR, null, "offline, and no backup file or bootstrap data", true);
        firstAnswer.countDown();
    }

    void startMetrics(MetricsReporter reporter) {
        metrics = reporter;
        reporter.start();
    }

    Status status() {
        return status;
    }

    /** Waits until the source answers (data, current, or a refused token), at most {@code timeout}. */
    void awaitFirstAnswer(Duration timeout) {
        try {
            if (!firstAnswer.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("Darklaunch did not answer within {} ms; serving {} meanwhile", timeout.toMillis(),
                        client.snapshot() == null ? "defaults" : "the backup or bootstrap data");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void apply(EnvironmentData data) {
        Snapshot old = client.snapshot();
        Snapshot next = Snapshot.compile(data, counting, guarding); // throws on unusable data: the source keeps the old
        client.swap(next);
        MetricsReporter reporter = metrics;
        if (reporter != null && old != null) {
            reporter.retire(old);
        }
        // Who is told is decided before create() can return (firstAnswer): a listener added after
        // that must not hear about the data create() already waited for.
        List<Consumer<Set<String>>> listening = List.copyOf(flagListeners);
        Set<String> changed = listening.isEmpty() ? Set.of() : FlagChanges.between(old == null ? null : old.data(), data);
        applied(next, listening, changed);
    }

    @Override
    public synchronized void apply(EnvironmentPatch patch) {
        Snapshot old = client.snapshot();
        if (old == null) {
            throw new IllegalStateException("a patch with no data to apply it to");
        }
        // throws on a patch that does not apply: the source keeps the old; compiles only what it touches
        Snapshot.Patched patched = old.apply(patch);
        client.swap(patched.snapshot());
        MetricsReporter reporter = metrics;
        if (reporter != null) {
            reporter.retire(patched.replaced()); // the flags it did not touch go on counting in the new snapshot
        }
        applied(patched.snapshot(), List.copyOf(flagListeners), patched.changed());
    }

    /** After a swap: ready, listeners told of {@code changed}, the backup written. */
    private void applied(Snapshot next, List<Consumer<Set<String>>> listening, Set<String> changed) {
        setStatus(new Status(Status.State.READY, Instant.now(), null));
        firstAnswer.countDown();
        if (!changed.isEmpty() && !listening.isEmpty()) {
            Set<String> keys = Set.copyOf(changed);
            for (Consumer<Set<String>> listener : listening) {
                dispatch(() -> listener.accept(keys));
            }
        }
        if (backup != null && backupPending.getAndSet(next) == null) {
            dispatch(this::writeBackup);
        }
    }

    @Override
    public synchronized void healthy() {
        setStatus(new Status(Status.State.READY, Instant.now(), null));
        firstAnswer.countDown();
    }

    @Override
    public synchronized void failed(String error, boolean unauthorized) {
        Status.State state = unauthorized || client.snapshot() == null ? Status.State.ERROR : Status.State.STALE;
        setStatus(new Status(state, status.dataUpdatedAt(), error));
        if (unauthorized) {
            firstAnswer.countDown(); // waiting longer cannot help
        }
    }

    @Override
    public void reconnecting() {
        reconnects.incrementAndGet();
    }

    long reconnects() {
        return reconnects.get();
    }

    MetricsReporter metrics() {
        return metrics;
    }

    void close() {
        closed = true;
        MetricsReporter reporter = metrics;
        if (reporter != null) {
            reporter.close(1_000);
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private void setStatus(Status next) {
        Status previous = status;
        status = next;
        if (previous.state() != next.state()) {
            for (Consumer<Status> listener : statusListeners) {
                dispatch(() -> listener.accept(next));
            }
        }
    }

    private void writeBackup() {
        Snapshot pending = backupPending.getAndSet(null);
        if (pending == null) {
            return;
        }
        try {
            backup.write(pending.data());
        } catch (Exception e) {
            log.warn("cannot write the Darklaunch backup file {}: {}", backup.path(), e.toString());
        }
    }

    /** Runs {@code task} on the events thread (inline for clients without one, e.g. test flags); isolates its failures. */
    private void dispatch(Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.warn("a Darklaunch listener failed", e);
            }
        };
        Executor events = runtime == null ? Runnable::run : runtime.events;
        try {
            if (!closed) {
                events.execute(guarded);
            }
        } catch (RejectedExecutionException e) {
            log.debug("client closed; dropping a notification");
        }
    }
}
