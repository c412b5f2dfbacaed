package dev.darklaunch.bench;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code DarklaunchClient.track}: the cost an application pays per tracked event, through the public
 * API of a connected client (its server is unreachable here, which changes nothing on this path:
 * events are summed in memory and sent in the background). Ten event names in rotation, with and
 * without a value; one thread, and two threads on the same names (contended adders).
 *
 * <pre>
 * mvn -Pbench -pl bench -am package -DskipTests -DskipUi
 * java -jar bench/target/benchmarks.jar TrackBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class TrackBenchmark {

    private static final String[] NAMES = {"checkout-completed", "page-viewed", "search", "add-to-cart", "signup",
            "login", "logout", "error", "latency", "payment-failed"};
    private static final Context USER = Context.of("user-1").with("country", "CH");

    private DarklaunchClient client;

    @Setup(Level.Trial)
    public void open() {
        client = DarklaunchClient.create(DarklaunchConfig.builder().sdkToken("dl_sdk_bench")
                .baseUri(URI.create("http://127.0.0.1:9")).initTimeout(Duration.ZERO).build());
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        String nextName() {
            int i = next + 1;
            next = i == NAMES.length ? 0 : i;
            return NAMES[next];
        }
    }

    @Benchmark
    public void trackWithValue(Cursor cursor) {
        client.track(cursor.nextName(), USER, 12.5);
    }

    @Benchmark
    public void trackCount(Cursor cursor) {
        client.track(cursor.nextName(), USER);
    }

    @Benchmark
    @Threads(2)
    public void trackWithValueTwoThreads(Cursor cursor) {
        client.track(cursor.nextName(), USER, 12.5);
    }
}
