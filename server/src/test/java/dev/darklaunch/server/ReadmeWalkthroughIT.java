package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's curl walkthrough, run as written against a real server, so it never goes stale. */
class ReadmeWalkthroughIT {

    @Test
    void the_readme_walkthrough_works_as_written() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("darklaunch.repo.root", "..")).resolve("README.md"));
        String script = walkthrough(readme);
        try (TestServer server = TestServer.start()) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true);
            builder.environment().put("DARKLAUNCH", server.base());
            builder.environment().put("TOKEN", TestServer.ADMIN_TOKEN);
            Process bash = builder.start();
            bash.getOutputStream().close();
            String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(bash.exitValue()).as(output).isZero();
            assertThat(output).contains("\"action\":\"flag.off\"", "error rate up after deploy");

            JsonNode events = server.admin().get("/api/v1/projects/default/audit?flag=new-checkout").json().get("items");
            assertThat(events).extracting(e -> e.get("action").asText())
                    .containsExactly("flag.off", "flag.config.update", "flag.create");
            assertThat(events.get(0).get("actor").asText()).contains("deploy pipeline");
        }
    }

    /** The code block of the walkthrough section that starts with step 1, with the server's address and token. */
    private static String walkthrough(String readme) {
        int section = readme.indexOf("## Two-minute walkthrough");
        int step = readme.indexOf("# 1. ", section);
        int start = readme.lastIndexOf("```sh\n", step) + "```sh\n".length();
        int end = readme.indexOf("```", step);
        assertThat(section).isPositive();
        assertThat(start).isGreaterThan(section);
        return readme.substring(start, end);
    }
}
