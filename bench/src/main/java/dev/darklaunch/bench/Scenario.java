package dev.darklaunch.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every scenario shares: the defaults for a long, quiet run (override them on the command
 * line), a library opened and sanity-checked once per fork, and one measured call — the next flag
 * of the scenario's kind for the next user. Subclasses name the libraries ({@code @Param}) and the
 * kind of flag.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public abstract class Scenario {

    private FlagLibrary library;
    private int[] flags;

    /** Opens the library with the standard workload and fails unless it evaluates {@code kind} correctly. */
    protected final void open(String name, Workload.Kind kind) {
        Workload workload = Workload.standard();
        flags = workload.indexesOf(kind);
        library = FlagLibrary.open(name, workload);
        try {
            Sanity.check(name, library, workload, kind, flags);
        } catch (RuntimeException e) {
            library.close();
            throw e;
        }
    }

    @Benchmark
    public boolean isEnabled(Cursor cursor) {
        return library.isEnabled(flags[cursor.nextFlag(flags.length)], cursor.nextUser());
    }

    @TearDown(Level.Trial)
    public void close() {
        if (library != null) {
            library.close();
        }
    }

    /**
     * Rotates through flags and users, one step each per call, so that no library can answer from
     * a single hot flag or user. Flag and user counts differ, so the pairs keep changing too.
     */
    @State(Scope.Thread)
    public static class Cursor {
        private int flag;
        private int user;

        int nextFlag(int count) {
            int next = flag + 1;
            flag = next == count ? 0 : next;
            return flag;
        }

        int nextUser() {
            user = (user + 1) & (Workload.USER_COUNT - 1);
            return user;
        }
    }
}
