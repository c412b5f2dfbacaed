package dev.darklaunch.bench;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Darklaunch only: the cost of one {@code isEnabled} of a flag with the largest prerequisite graph
 * the server accepts ({@link EnvironmentCheck#MAX_PREREQUISITE_EVALUATIONS} prerequisite
 * evaluations, every path counted):
 * <ul>
 *   <li>{@code chain}: a chain 1 000 deep (1 000 evaluations);
 *   <li>{@code lattice}: three layers of nine flags, each requiring the whole next layer
 *       (9 + 81 + 729 = 819 paths; a fourth layer would be 7 380, refused);
 *   <li>{@code lattice-rules}: the same, each flag with a five-clause rule that every user walks;
 *   <li>{@code lattice-max-cost}: the same with 8 such rules per flag, just under the cost bound
 *       ({@code EvaluationCost.MAX_EVALUATION_COST}: 820 flags × 57 units = 46 740).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PrerequisiteBenchmark {

    @Param({"chain", "lattice", "lattice-rules", "lattice-max-cost"})
    public String graph;

    private DarklaunchClient client;
    private Context[] contexts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        List<String> flags = new ArrayList<>();
        String fiveClauses = "{\"serve\": {\"variation\": 1}, \"clauses\": ["
                + "{\"attribute\": \"country\", \"op\": \"in\", \"values\": [\"NO\", \"SE\", \"DK\"]},"
                + "{\"attribute\": \"plan\", \"op\": \"in\", \"values\": [\"pro\"]},"
                + "{\"attribute\": \"email\", \"op\": \"endsWith\", \"values\": [\"@example.com\"]},"
                + "{\"attribute\": \"version\", \"op\": \"semverGte\", \"values\": [\"2.3.0\"]},"
                + "{\"attribute\": \"beta\", \"op\": \"in\", \"values\": [false]}]}";
        int rules = switch (graph) {
            case "lattice-rules" -> 1;
            case "lattice-max-cost" -> 8;
            default -> 0;
        };
        String rule = rules == 0 ? "" : ", \"rules\": [" + String.join(",", java.util.Collections.nCopies(rules, fiveClauses)) + "]";
        if (graph.equals("chain")) {
            for (int i = 0; i < EnvironmentCheck.MAX_PREREQUISITE_EVALUATIONS; i++) {
                flags.add(flag("f" + i, List.of("f" + (i + 1)), rule));
            }
            flags.add(flag("f" + EnvironmentCheck.MAX_PREREQUISITE_EVALUATIONS, List.of(), rule));
        } else {
            flags.add(flag("f0", layer(1), rule));
            for (int layer = 1; layer <= 3; layer++) {
                for (int k = 0; k < 9; k++) {
                    flags.add(flag("l" + layer + "-" + k, layer == 3 ? List.of() : layer(layer + 1), rule));
                }
            }
        }
        String bootstrap = "{\"revision\": 1, \"flags\": [" + String.join(",", flags) + "]}";
        client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(bootstrap).build());
        contexts = new Context[1024];
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = Context.of("user-" + i).with("country", i % 2 == 0 ? "NO" : "US").with("plan", "pro")
                    .with("email", "u" + i + "@example.com").with("version", "2.4.0").with("beta", true);
        }
        EvaluationDetail<Boolean> detail = client.boolVariationDetail("f0", contexts[0], false);
        if (!detail.value() || detail.reason().kind() == Reason.Kind.ERROR) {
            throw new IllegalStateException("the top flag does not evaluate its prerequisites: " + detail);
        }
    }

    private static List<String> layer(int layer) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            keys.add("l" + layer + "-" + k);
        }
        return keys;
    }

    private static String flag(String key, List<String> prerequisites, String rule) {
        StringBuilder required = new StringBuilder();
        for (String prerequisite : prerequisites) {
            required.append(required.length() == 0 ? "" : ",").append("{\"flag\": \"").append(prerequisite).append("\", \"variation\": 0}");
        }
        return "{\"flag\": {\"key\": \"" + key + "\", \"name\": \"" + key + "\", \"kind\": \"boolean\", \"variations\": "
                + "[{\"value\": true}, {\"value\": false}]}, \"config\": {\"on\": true, \"offVariation\": 1, "
                + "\"fallthrough\": {\"variation\": 0}, \"prerequisites\": [" + required + "]" + rule + "}}";
    }

    @Benchmark
    public boolean isEnabled() {
        next = (next + 1) & (contexts.length - 1);
        return client.isEnabled("f0", contexts[next]);
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }
}
