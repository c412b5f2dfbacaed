package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.DarklaunchServerTest.Lifetime;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's curl walkthrough, run as written against a real server, so it never goes stale. */
@DarklaunchServerTest(lifetime = Lifetime.PER_TEST)
class ReadmeWalkthroughIT {

    @Given
    private TestServer server;

    @Test
    void the_readme_walkthrough_works_as_written() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("darklaunch.repo.root", "..")).resolve("README.md"));
        String script = walkthrough(readme);
        String output = run(script, server);
        assertThat(output).contains("\"action\":\"flag.off\"", "error rate up after deploy");

        JsonNode events = server.admin().get("/api/v1/projects/default/audit?flag=new-checkout").json().get("items");
        assertThat(events).extracting(e -> e.get("action").asText())
                .containsExactly("flag.off", "flag.config.update", "flag.create");
        assertThat(events.get(0).get("actor").asText()).contains("deploy pipeline");
    }

    @Test
    void the_readme_pipeline_loop_works_as_written_and_an_sdk_sees_the_release_and_the_rollback() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("darklaunch.repo.root", "..")).resolve("README.md"));
        String script = codeBlock(readme, "## Ship dark, release, roll back", "# 1. ");
        try (DarklaunchClient sdk = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                .baseUri(URI.create(server.base()))
                .sdkToken(server.token("sdk", "default", "production"))
                .initTimeout(Duration.ofSeconds(10))).build())) {
            List<Double> seen = new CopyOnWriteArrayList<>();
            sdk.addFlagChangeListener(keys -> {
                if (keys.contains("one-click-pay")) {
                    seen.add(shareOn(sdk));
                }
            });
            String output = run(script, server);
            assertThat(output).contains("\"status\":\"succeeded\"", "\"state\":\"completed\"", "\"status\":\"rolled_back\"",
                    "checkout 1.4.2 rolled back");
            assertThat(output.indexOf("\"value\":true")).as("user-6 is in the 10 %, until the rollback").isPositive()
                    .isLessThan(output.indexOf("\"value\":false"));
            Await.until(Duration.ofSeconds(20), "the SDK seeing the rollback",
                    () -> seen.size() >= 2 && seen.get(seen.size() - 1) == 0.0);
            assertThat(seen).as("the SDK saw the flag created off, released to about 10 %, then off")
                    .anySatisfy(share -> assertThat(share).isBetween(0.07, 0.13));
            assertThat(seen.get(seen.size() - 1)).isZero();
        }
    }

    @Test
    void the_readme_ofrep_walkthrough_works_as_written() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("darklaunch.repo.root", "..")).resolve("README.md"));
        String script = codeBlock(readme, "## Use it from any language", "# 1. ");
        String output = run(script, server);
        assertThat(output).contains("{\"key\":\"new-footer\",\"value\":true,\"reason\":\"TARGETING_MATCH\",\"variant\":\"0\"}");
        assertThat(output.strip()).endsWith("304");
    }

    private static double shareOn(DarklaunchClient sdk) {
        int on = 0;
        for (int i = 0; i < 1_000; i++) {
            on += sdk.isEnabled("one-click-pay", Context.of("user-" + i)) ? 1 : 0;
        }
        return on / 1_000.0;
    }

    private static String run(String script, TestServer server) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true);
        builder.environment().put("DARKLAUNCH", server.base());
        builder.environment().put("TOKEN", TestServer.ADMIN_TOKEN);
        Process bash = builder.start();
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        return output;
    }

    /** The code block of the walkthrough section that starts with step 1. */
    private static String walkthrough(String readme) {
        return codeBlock(readme, "## Two-minute walkthrough", "# 1. ");
    }

    /** The code block of a section that holds the given first line. */
    private static String codeBlock(String readme, String heading, String firstLine) {
        int section = readme.indexOf(heading);
        int step = readme.indexOf(firstLine, section);
        int start = readme.lastIndexOf("```sh\n", step) + "```sh\n".length();
        int end = readme.indexOf("```", step);
        assertThat(section).isPositive();
        assertThat(start).isGreaterThan(section);
        return readme.substring(start, end);
    }
}
