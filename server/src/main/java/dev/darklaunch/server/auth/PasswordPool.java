package dev.darklaunch.server.auth;

import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that hash passwords, with a short waiting line ordered by the caller's record: a
 * check for a client that failed fewer sign-ins lately goes before those of clients that failed
 * more (first come, first served among equals), and when the line is full it takes the place of
 * the worst-placed waiting check, which is refused instead. So a client guessing from an address
 * that keeps failing slows itself, not the people signing in from elsewhere.
 *
 * <p>A ThreadPoolExecutor cannot bound a priority queue or push a task out of it, hence this small
 * class around one.
 */
final class PasswordPool implements AutoCloseable {

    /** Work waiting for a thread; {@code refuse} runs instead of {@code work} when it is pushed out. */
    private static final class Check implements Runnable {
        final int recentFailures;
        final long order;
        final Runnable work;
        final Runnable refuse;

        Check(int recentFailures, long order, Runnable work, Runnable refuse) {
            this.recentFailures = recentFailures;
            this.order = order;
            this.work = work;
            this.refuse = refuse;
        }

        @Override
        public void run() {
            work.run();
        }
    }

    private static final Comparator<Runnable> FIRST_SERVED = Comparator
            .comparingInt((Runnable r) -> ((Check) r).recentFailures)
            .thenComparingLong(r -> ((Check) r).order);

    private final int capacity;
    private final PriorityBlockingQueue<Runnable> line;
    private final ThreadPoolExecutor executor;
    private final AtomicLong arrivals = new AtomicLong();

    PasswordPool(int threads, int capacity) {
        this.capacity = capacity;
        this.line = new PriorityBlockingQueue<>(capacity + 1, FIRST_SERVED);
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, line, task -> {
            Thread thread = new Thread(task, "darklaunch-passwords-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.prestartAllCoreThreads(); // so every task goes through the line, threads take from it
    }

    /**
     * Queues {@code work}; answers false (and runs nothing) when the line is full of checks placed
     * at least as well. {@code refuse} runs if the check is pushed out later by a better-placed one.
     */
    synchronized boolean submit(int recentFailures, Runnable work, Runnable refuse) {
        Check check = new Check(recentFailures, arrivals.incrementAndGet(), work, refuse);
        if (line.size() >= capacity) {
            Check worst = null;
            for (Runnable waiting : line) {
                if (worst == null || FIRST_SERVED.compare(waiting, worst) > 0) {
                    worst = (Check) waiting;
                }
            }
            if (worst == null || FIRST_SERVED.compare(worst, check) < 0) {
                return false;
            }
            if (line.remove(worst)) {
                worst.refuse.run();
            }
        }
        try {
            executor.execute(check);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false; // closed
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
