package dev.darklaunch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.internal.model.*;
import org.openjdk.jmh.annotations.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ScratchClauseBenchmark {
    @Param({"country", "plan", "email", "version", "beta", "none"})
    String clause;
    DarklaunchClient client;
    Context[] contexts;
    int i;

    @Setup
    public void setup() throws Exception {
        Workload w = Workload.standard();
        List<JsonNode> countries = Workload.RULE_COUNTRIES.stream().map(c -> (JsonNode) TextNode.valueOf(c)).toList();
        Clause c = switch (clause) {
            case "country" -> new Clause(Workload.COUNTRY, Operator.IN, countries, false, false);
            case "plan" -> Clause.of(Workload.PLAN, Operator.IN, TextNode.valueOf(Workload.RULE_PLAN));
            case "email" -> Clause.of(Workload.EMAIL, Operator.ENDS_WITH, TextNode.valueOf(Workload.RULE_EMAIL_SUFFIX));
            case "version" -> Clause.of(Workload.APP_VERSION, Operator.SEMVER_GTE, TextNode.valueOf(Workload.RULE_MIN_VERSION));
            case "beta" -> Clause.of(Workload.BETA, Operator.IN, BooleanNode.TRUE);
            default -> null;
        };
        Flag flag = Flag.ofBoolean("f", "f");
        List<Rule> rules = c == null ? List.of() : List.of(new Rule("r", null, List.of(c), Serve.ofVariation(0)));
        FlagConfig config = new FlagConfig(true, 1, List.of(), rules, Serve.ofVariation(1), List.of());
        String json = ModelJson.mapper().writeValueAsString(new EnvironmentData(1, List.of(new EnvironmentFlag(flag, config)), List.of()));
        client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(json).build());
        contexts = w.users().stream().map(u -> Context.of(u.id()).with(Workload.COUNTRY, u.country()).with(Workload.PLAN, u.plan())
                .with(Workload.EMAIL, u.email()).with(Workload.APP_VERSION, u.appVersion()).with(Workload.BETA, u.beta())).toArray(Context[]::new);
    }

    @Benchmark
    public boolean eval() {
        i = (i + 1) & 1023;
        return client.isEnabled("f", contexts[i]);
    }
}
