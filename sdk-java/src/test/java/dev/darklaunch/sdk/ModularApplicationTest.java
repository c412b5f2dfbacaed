package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requirement: a modular application (its own module on the module path) can use the SDK's
 * public API — including the parts where Jackson reads the SDK's internal model by reflection —
 * and can reach nothing under {@code dev.darklaunch.sdk.internal}: compiling against it fails,
 * and reflection on it is refused at run time. The application is written here, compiled with the
 * JDK's compiler against the built SDK module and its dependencies' jars, and run in its own JVM.
 */
class ModularApplicationTest {

    private static final String APPLICATION = """
            package shop;

            import com.fasterxml.jackson.databind.JsonNode;
            import dev.darklaunch.sdk.Context;
            import dev.darklaunch.sdk.DarklaunchClient;
            import dev.darklaunch.sdk.DarklaunchConfig;
            import dev.darklaunch.sdk.TestFlags;

            public class Main {
                public static void main(String[] args) throws Exception {
                    String snapshot = \"""
                        {"revision": 3, "segments": [], "flags": [
                          {"flag": {"key": "staff-only", "name": "Staff only", "kind": "boolean",
                                    "variations": [{"value": true}, {"value": false}]},
                           "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                                      "rules": [{"serve": {"variation": 0}, "clauses": [
                                        {"attribute": "email", "op": "matches", "values": ["@example\\\\\\\\.com$"]}]}]}},
                          {"flag": {"key": "layout", "name": "Layout", "kind": "json",
                                    "variations": [{"value": {"columns": 2}}, {"value": {"columns": 3}}]},
                           "config": {"on": true, "offVariation": 0, "fallthrough": {"variation": 1}}}]}
                        \""";
                    try (DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(snapshot).offline().build())) {
                        System.out.println("ready=" + client.isReady());
                        System.out.println("staff=" + client.isEnabled("staff-only", Context.of("u1").with("email", "ada@example.com")));
                        System.out.println("guest=" + client.isEnabled("staff-only", Context.of("u2").with("email", "bob@example.org")));
                        JsonNode layout = client.jsonVariation("layout", Context.of("u1"), null);
                        System.out.println("columns=" + layout.get("columns").asInt());
                    }
                    TestFlags flags = TestFlags.create();
                    flags.booleanFlag("new-checkout").onWhen("country", "NO");
                    try (DarklaunchClient client = flags.client()) {
                        System.out.println("test-flags=" + client.isEnabled("new-checkout", Context.of("u1").with("country", "NO")));
                    }
                    Class<?> internal = Class.forName("dev.darklaunch.sdk.internal.model.ModelJson");
                    try {
                        internal.getMethod("mapper").invoke(null);
                        System.out.println("call=allowed");
                    } catch (IllegalAccessException e) {
                        System.out.println("call=" + e.getClass().getSimpleName());
                    }
                    try {
                        internal.getMethod("mapper").setAccessible(true);
                        System.out.println("open=allowed");
                    } catch (RuntimeException e) {
                        System.out.println("open=" + e.getClass().getSimpleName());
                    }
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void aModularApplicationUsesThePublicApi_andReflectionOnInternalsIsRefused() throws Exception {
        Path classes = compile("shop", APPLICATION, "Main");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath(classes), "--module", "shop/shop.Main"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the application ends").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(line -> line.contains("=")).toList()).as(output).contains(
                "ready=true", "staff=true", "guest=false", "columns=3", "test-flags=true",
                "call=IllegalAccessException", "open=InaccessibleObjectException");
    }

    @Test
    void aModularApplicationCannotCompileAgainstTheInternals() throws Exception {
        String sneaky = """
                package shop;

                public class Sneaky {
                    Object mapper = dev.darklaunch.sdk.internal.model.ModelJson.mapper();
                }
                """;
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled = compile("shop", sneaky, "Sneaky", diagnostics);

        assertThat(compiled).isFalse();
        assertThat(diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null)).collect(Collectors.joining("\n")))
                .contains("package dev.darklaunch.sdk.internal.model is not visible")
                .contains("does not export it");
    }

    private Path compile(String module, String source, String className) throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled = compile(module, source, className, diagnostics);
        assertThat(compiled).as(diagnostics.getDiagnostics().toString()).isTrue();
        return work.resolve("classes");
    }

    private boolean compile(String module, String source, String className, DiagnosticCollector<JavaFileObject> diagnostics)
            throws IOException {
        Path sources = work.resolve("src");
        Path moduleInfo = sources.resolve("module-info.java");
        Path main = sources.resolve("shop").resolve(className + ".java");
        Files.createDirectories(main.getParent());
        Files.writeString(moduleInfo, "module " + module + " { requires dev.darklaunch.sdk; }\n");
        Files.writeString(main, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "--module-path", modulePath(), "-d", classes.toString());
            return javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(moduleInfo, main)).call();
        }
    }

    /** The built SDK module and the jars of its dependencies, as this build resolved them. */
    private static String modulePath(Path... more) {
        return Stream.concat(Stream.of(more), Stream.of(DarklaunchClient.class, JsonNode.class, JsonFactory.class,
                        JsonInclude.class, org.slf4j.Logger.class, com.google.re2j.Pattern.class).map(ModularApplicationTest::location))
                .map(Path::toString).distinct().collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
