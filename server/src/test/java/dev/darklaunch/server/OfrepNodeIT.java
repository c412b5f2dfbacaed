package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.OfrepFixture;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another language's OFREP client, nobody here wrote: OpenFeature's Node server SDK with its OFREP
 * provider ({@code @openfeature/ofrep-provider}, at the versions
 * {@code src/test/node-ofrep/package-lock.json} pins, installed by the build) run by {@code node}.
 * It evaluates the same flags as the embedded {@link DarklaunchClient} for the same people and must
 * give the same answers, and sees a flip.
 */
@DarklaunchServerTest
class OfrepNodeIT {

    private static final Path CLIENT = Path.of("src", "test", "node-ofrep");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BOOLEANS = List.of("on-off", "by-country", "rollout-30", "disabled", OfrepFixture.SERVER_ONLY);

    @Given
    private static TestServer server;

    @Given
    private static Fixtures given;
    @Given
    private static Http admin;
    private static String token;
    private static DarklaunchClient darklaunch;

    @BeforeAll
    static void start() {
        if (!Files.isDirectory(CLIENT.resolve("node_modules/@openfeature/ofrep-provider"))) {
            throw new IllegalStateException(CLIENT.toAbsolutePath() + "/node_modules is missing: the build installs it with npm"
                    + " (server/pom.xml, execution node-ofrep-npm-ci), which -DskipUi leaves out; build without -DskipUi");
        }
        OfrepFixture.create(admin);
        token = server.token("sdk", "default", OfrepFixture.ENVIRONMENT);
        darklaunch = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                .baseUri(URI.create(server.base())).sdkToken(token).initTimeout(Duration.ofSeconds(10))).build());
    }

    @AfterAll
    static void stop() {
        if (darklaunch != null) {
            darklaunch.close();
        }
    }

    private record Person(String key, String country, String plan) {
        Context darklaunch() {
            return Context.of(key).with("country", country).with("plan", plan);
        }
    }

    @Test
    void every_kind_of_flag_answers_as_the_embedded_sdk_does() throws Exception {
        List<Person> people = new ArrayList<>();
        String[] countries = {"NO", "SE", "DE"};
        for (int i = 0; i < 60; i++) {
            people.add(new Person("user-" + i, countries[i % 3], i % 2 == 0 ? "premium" : "free"));
        }
        JsonNode answers = run("answers", Map.of("baseUrl", server.base(), "token", token, "people", people,
                "flags", Map.of("boolean", BOOLEANS, "string", List.of("banner"), "number", List.of("discount"),
                        "object", List.of("layout"), "missing", List.of())), Duration.ofSeconds(60)).get(0).get("answers");

        int checked = 0;
        int rolledOut = 0;
        for (JsonNode answer : answers) {
            Person person = people.stream().filter(p -> p.key().equals(answer.get("person").asText())).findFirst().orElseThrow();
            Context context = person.darklaunch();
            String flag = answer.get("flag").asText();
            String what = flag + " for " + person + ": " + answer;
            assertThat(answer.get("errorCode").isNull()).as(what).isTrue();
            JsonNode expected = darklaunch.jsonVariation(flag, context, null);
            assertThat(answer.get("value")).as(what).isEqualTo(expected);
            if (flag.equals("rollout-30") && answer.get("value").asBoolean()) {
                rolledOut++;
            }
            checked++;
        }
        assertThat(checked).isEqualTo(60 * (BOOLEANS.size() + 3));
        assertThat(rolledOut).as("30 % of 60").isBetween(8, 30);

        JsonNode missing = run("answers", Map.of("baseUrl", server.base(), "token", token, "people", people.subList(0, 1),
                "flags", Map.of("boolean", List.of("no-such-flag"))), Duration.ofSeconds(60)).get(0).get("answers").get(0);
        assertThat(missing.get("errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");
        assertThat(missing.get("value").asBoolean()).as("the caller's default").isFalse();
    }

    @Test
    void a_flip_reaches_it_on_its_next_evaluation() throws Exception {
        Person person = new Person("flip-user", "NO", "free");
        Path request = Files.createTempFile("node-ofrep-watch", ".json");
        Files.writeString(request, JSON.writeValueAsString(Map.of("baseUrl", server.base(), "token", token,
                "watch", Map.of("flag", "by-country", "person", person, "timeoutMs", 30_000))));
        Process node = new ProcessBuilder("node", "evaluate.mjs", "watch", request.toAbsolutePath().toString())
                .directory(CLIENT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(JSON.readTree(lines.readLine()).get("value").asBoolean()).as("on in Norway").isTrue();
            long flipped = System.currentTimeMillis();
            assertThat(admin.post(OfrepFixture.P + "/flags/by-country/environments/production/off", null).status()).isEqualTo(200);
            JsonNode seen = JSON.readTree(lines.readLine());
            assertThat(seen.get("value").asBoolean()).as("the flip").isFalse();
            System.out.printf("Node OFREP client: flip seen %d ms after the switch was sent%n", seen.get("at").asLong() - flipped);
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
            given.toggle("by-country", "production", true);
        }
    }

    /** Runs the Node client in this mode on this request; its output lines as JSON. */
    private static List<JsonNode> run(String mode, Object request, Duration timeout) throws IOException, InterruptedException {
        Path file = Files.createTempFile("node-ofrep", ".json");
        Files.writeString(file, JSON.writeValueAsString(request));
        Process node = new ProcessBuilder("node", "evaluate.mjs", mode, file.toAbsolutePath().toString())
                .directory(CLIENT.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || node.exitValue() != 0) {
            node.destroyForcibly();
            throw new AssertionError("node " + mode + " failed:\n" + output);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
