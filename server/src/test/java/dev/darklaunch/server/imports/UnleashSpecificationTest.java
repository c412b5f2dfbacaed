package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.evaluation.CompiledFlag;
import dev.darklaunch.sdk.internal.evaluation.Evaluator;
import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Unleash's language-neutral client specification ({@code @unleash/client-specification},
 * fetched by the build into {@code target/}, see the server POM) against imported flags: each
 * file's {@code state} goes through {@link UnleashImport}, is compiled into a snapshot, and every
 * {@code tests} case (Unleash's {@code isEnabled}) and {@code variantTests} case
 * ({@code getVariant}) becomes a dynamic test evaluated by Darklaunch's evaluator, with the
 * context built by {@link UnleashContexts}.
 *
 * <p>{@code isEnabled} is the feature's boolean flag; {@code getVariant} is the value of its
 * variant flag, or for a feature without variants {@code disabled} with {@code feature_enabled}
 * equal to {@code isEnabled}; a toggle not in the state is disabled.
 *
 * <p>A case that cannot pass is listed with its reason in {@code unleash-spec-exceptions.txt}
 * (one {@code <file>#<tests|variantTests>[<index>] | <reason>} per line). A listed case is
 * reported as skipped while it fails as expected; it fails the build once it passes, and so does
 * a listed case that does not exist, so the list stays honest.
 */
class UnleashSpecificationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path SPECIFICATIONS = Path.of(System.getProperty("unleash.specification.dir",
            "target/unleash-client-specification/package/specifications"));
    private static final Instant NOW = Instant.now();
    private static final AtomicInteger passed = new AtomicInteger();
    private static final AtomicInteger excepted = new AtomicInteger();
    private static Map<String, String> exceptions;
    private static final Set<String> caseIds = new LinkedHashSet<>();

    @BeforeAll
    static void readExceptions() throws IOException {
        exceptions = new LinkedHashMap<>();
        try (InputStream in = UnleashSpecificationTest.class.getResourceAsStream("/unleash-spec-exceptions.txt")) {
            assertThat(in).as("unleash-spec-exceptions.txt on the test class path").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\|", 2);
                assertThat(parts).as("'<case> | <reason>': %s", line).hasSize(2);
                exceptions.put(parts[0].strip(), parts[1].strip());
            }
        }
    }

    @AfterAll
    static void summary() {
        System.out.printf("Unleash client specification: %d cases passed, %d excepted (see unleash-spec-exceptions.txt)%n",
                passed.get(), excepted.get());
    }

    @TestFactory
    Stream<DynamicNode> specification() throws IOException {
        Path index = SPECIFICATIONS.resolve("index.json");
        assertThat(index).as("the specification is fetched by the Maven build (generate-test-resources); run the test through Maven")
                .exists();
        List<DynamicNode> files = new ArrayList<>();
        for (JsonNode file : MAPPER.readTree(index.toFile())) {
            JsonNode spec = MAPPER.readTree(Files.readString(SPECIFICATIONS.resolve(file.asText())));
            files.add(DynamicContainer.dynamicContainer(file.asText(), cases(file.asText(), spec)));
        }
        return files.stream();
    }

    @Test
    void every_listed_exception_names_a_case_of_the_specification() throws IOException {
        if (caseIds.isEmpty()) {
            specification().forEach(node -> { });
        }
        assertThat(caseIds).containsAll(exceptions.keySet());
    }

    private static Stream<DynamicNode> cases(String file, JsonNode spec) {
        UnleashImport.Result result = UnleashImport.convert(spec.get("state"));
        Snapshot snapshot = Snapshot.compile(result.environmentData());
        List<DynamicNode> tests = new ArrayList<>();
        for (String kind : List.of("tests", "variantTests")) {
            JsonNode cases = spec.path(kind);
            for (int i = 0; i < cases.size(); i++) {
                JsonNode c = cases.get(i);
                String id = file + "#" + kind + "[" + i + "]";
                caseIds.add(id);
                Context context = UnleashContexts.toContext(c.get("context"), NOW);
                String toggle = c.get("toggleName").asText();
                Runnable check = kind.equals("tests")
                        ? () -> assertThat(isEnabled(result, snapshot, toggle, context)).as(describe(c, result)).isEqualTo(c.get("expectedResult").asBoolean())
                        : () -> assertThat(variant(result, snapshot, toggle, context)).as(describe(c, result)).isEqualTo(c.get("expectedResult"));
                tests.add(DynamicTest.dynamicTest(kind + "[" + i + "] " + toggle + ": " + c.path("description").asText(),
                        () -> run(id, check)));
            }
        }
        return tests.stream();
    }

    private static void run(String id, Runnable check) {
        String reason = exceptions.get(id);
        try {
            check.run();
        } catch (AssertionError failure) {
            if (reason == null) {
                throw failure;
            }
            excepted.incrementAndGet();
            Assumptions.abort("listed exception: " + reason);
        }
        assertThat(reason).as("%s passes: remove it from unleash-spec-exceptions.txt", id).isNull();
        passed.incrementAndGet();
    }

    private static boolean isEnabled(UnleashImport.Result result, Snapshot snapshot, String toggle, Context context) {
        UnleashImport.ImportedFeature feature = feature(result, toggle);
        return feature != null && Evaluator.isTrue(snapshot, snapshot.flag(feature.flag()), context);
    }

    private static JsonNode variant(UnleashImport.Result result, Snapshot snapshot, String toggle, Context context) {
        UnleashImport.ImportedFeature feature = feature(result, toggle);
        if (feature == null) {
            return UnleashVariants.DISABLED;
        }
        if (feature.variantFlag() == null) {
            return isEnabled(result, snapshot, toggle, context) ? UnleashVariants.ENABLED_WITHOUT_VARIANT : UnleashVariants.DISABLED;
        }
        CompiledFlag flag = snapshot.flag(feature.variantFlag());
        return Evaluator.evaluate(snapshot, flag, context).jsonDetail().value();
    }

    private static UnleashImport.ImportedFeature feature(UnleashImport.Result result, String toggle) {
        return result.features().stream().filter(f -> f.name().equals(toggle)).findFirst().orElse(null);
    }

    private static String describe(JsonNode c, UnleashImport.Result result) {
        return c.path("description").asText() + " — context " + c.get("context") + "; warnings " + result.warnings();
    }
}
