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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a guarded release costs the application, through the public API of a connected client (its
 * server unreachable, which changes nothing on these paths: sums are kept in memory and sent in the
 * background). Five flags, each a sticky 50 % rollout; {@code guardedFlags} of them are marked
 * guarded, as the server marks a running guarded release's flags.
 *
 * <ul>
 *   <li>{@code track}: one {@code track(name, context, value)} — summed per name and minute as
 *       always, plus, per guarded flag, an evaluation for the context and three adder updates for
 *       the served variation and event name. Three names in rotation, 1 024 contexts.</li>
 *   <li>{@code isEnabledGuarded}: an evaluation of the first flag (guarded unless
 *       {@code guardedFlags} is 0): its evaluation count plus, when guarded, its exposure.</li>
 * </ul>
 *
 * <pre>
 * mvn -Pbench -pl bench -am package -DskipTests -DskipUi
 * java -jar bench/target/benchmarks.jar GuardedBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class GuardedBenchmark {

    private static final String[] NAMES = {"error", "checkout.latency", "checkout-completed"};
    private static final int FLAGS = 5;

    @Param({"0", "1", "5"})
    public int guardedFlags;

    private DarklaunchClient client;
    private Context[] contexts;

    @Setup(Level.Trial)
    public void open() {
        client = DarklaunchClient.create(DarklaunchConfig.builder().sdkToken("dl_sdk_bench")
                .baseUri(URI.create("http://127.0.0.1:9")).initTimeout(Duration.ZERO)
                .bootstrap(data(guardedFlags)).build());
        contexts = new Context[1_024];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = Context.of("user-" + i).with("country", i % 3 == 0 ? "CH" : "NO");
        }
        if (client.flagFacts("release-0") == null) {
            throw new IllegalStateException("the bootstrap data was not loaded");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    /** Five boolean flags, each a sticky 50 % rollout; the first {@code guarded} of them guarded. */
    static String data(int guarded) {
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < FLAGS; i++) {
            flags.add("{\"flag\":{\"key\":\"release-" + i + "\",\"name\":\"Release " + i + "\",\"kind\":\"boolean\","
                    + "\"variations\":[{\"value\":true},{\"value\":false}]},"
                    + "\"config\":{\"on\":true,\"offVariation\":1,\"fallthrough\":{\"rollout\":{\"variations\":"
                    + "[{\"variation\":0,\"weight\":50000},{\"variation\":1,\"weight\":50000}]}}}"
                    + (i < guarded ? ",\"guarded\":true" : "") + "}");
        }
        return "{\"revision\":1,\"flags\":[" + String.join(",", flags) + "],\"segments\":[]}";
    }

    @State(Scope.Thread)
    public static class Cursor {
        private int name;
        private int context;

        String nextName() {
            int i = name + 1;
            name = i == NAMES.length ? 0 : i;
            return NAMES[name];
        }

        int nextContext() {
            context = (context + 1) & 1_023;
            return context;
        }
    }

    @Benchmark
    public void track(Cursor cursor) {
        client.track(cursor.nextName(), contexts[cursor.nextContext()], 12.5);
    }

    @Benchmark
    public boolean isEnabledGuarded(Cursor cursor) {
        return client.isEnabled("release-0", contexts[cursor.nextContext()]);
    }
}
