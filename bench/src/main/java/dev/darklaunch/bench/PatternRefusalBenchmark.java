package dev.darklaunch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long the shared model validator takes to refuse a regular expression compile bomb (it reads
 * the pattern's text; nothing compiles it), and, for scale, to accept the largest sane pattern.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PatternRefusalBenchmark {

    @Param({"((a{1000}){1000}){1000}", "(a{1000}){1000} x10", "[0-9]{1,1000} (accepted)"})
    public String pattern;

    private Flag flag;
    private FlagConfig config;
    private boolean accepted;

    @Setup(Level.Trial)
    public void setUp() {
        String text = pattern.split(" ")[0];
        int copies = pattern.endsWith("x10") ? 10 : 1;
        accepted = pattern.endsWith("(accepted)");
        Clause clause = new Clause("email", Operator.MATCHES, Collections.<JsonNode>nCopies(copies, TextNode.valueOf(text)), false, false);
        flag = Flag.ofBoolean("bomb", "Bomb");
        config = new FlagConfig(true, 1, List.of(), List.of(new Rule(null, null, List.of(clause), Serve.ofVariation(0))),
                Serve.ofVariation(1), List.of());
        if (validate() != accepted) {
            throw new IllegalStateException(pattern + (accepted ? " was refused" : " was accepted"));
        }
    }

    @Benchmark
    public boolean validate() {
        try {
            ModelValidator.validateConfig(flag, config);
            return true;
        } catch (InvalidModelException refused) {
            return false;
        }
    }
}
