package dev.darklaunch.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.Status;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Spring Boot application (Tomcat, Actuator, the starter) against a real Darklaunch
 * server (the packaged jar, in a JVM of its own, on its embedded PostgreSQL): the auto-configured
 * client and the OpenFeature client over it evaluate flags set on the server, see a flip, the
 * client reports UP at /actuator/health, and it ends its threads when the application stops.
 */
class SpringBootStarterIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ServerJar server;
    private static String sdkToken;

    /** An application like a user's: nothing but auto-configuration (no component scan to pick up other tests' beans). */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerJar.start(Path.of("target", "spring-boot-starter-it"), Duration.ofMinutes(3));
        server.admin("POST", "/api/v1/projects/default/flags", """
                {"key": "new-checkout", "name": "New checkout", "kind": "boolean",
                 "variations": [{"value": true}, {"value": false}]}""");
        server.admin("PUT", "/api/v1/projects/default/flags/new-checkout/environments/production", """
                {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                 "rules": [{"id": "norway", "clauses": [{"attribute": "country", "op": "in", "values": ["NO"]}],
                            "serve": {"variation": 0}}],
                 "comment": "Norway first"}""");
        sdkToken = JSON.readTree(server.admin("POST", "/api/v1/tokens", """
                {"name": "spring app", "kind": "sdk", "project": "default", "environments": ["production"]}""")).get("secret").asText();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void an_application_evaluates_server_flags_sees_a_flip_reports_health_and_closes_its_client() throws Exception {
        Context norway = Context.of("user-1").with("country", "NO");
        Context sweden = Context.of("user-2").with("country", "SE");
        ImmutableContext norwayInOpenFeature = new ImmutableContext("user-1", Map.of("country", new Value("NO")));
        DarklaunchClient client;
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(Application.class).properties(
                "server.port=0",
                "darklaunch.base-url=" + server.base(),
                "darklaunch.sdk-token=" + sdkToken,
                "darklaunch.init-timeout=30s",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always").run()) {
            client = application.getBean(DarklaunchClient.class);

            // the start waited for the server's flags: READY at once, the rule applies
            assertThat(client.status().state()).isEqualTo(Status.State.READY);
            assertThat(client.isEnabled("new-checkout", norway)).isTrue();
            assertThat(client.isEnabled("new-checkout", sweden)).isFalse();
            Client openFeature = application.getBean(Client.class);
            assertThat(openFeature.getBooleanValue("new-checkout", false, norwayInOpenFeature)).isTrue();

            JsonNode health = actuatorHealth(application);
            assertThat(health.at("/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/darklaunch/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/darklaunch/details/state").asText()).isEqualTo("READY");
            assertThat(health.at("/components/darklaunch/details/dataAge").asText()).startsWith("PT");
            assertThat(health.toString()).doesNotContain(sdkToken);

            // a flip on the server reaches the running application
            server.admin("POST", "/api/v1/projects/default/flags/new-checkout/environments/production/off", """
                    {"comment": "kill switch"}""");
            await().atMost(PATIENCE).until(() -> !client.isEnabled("new-checkout", norway));
            assertThat(openFeature.getBooleanValue("new-checkout", true, norwayInOpenFeature)).isFalse();

            assertThat(darklaunchThreads()).isNotEmpty();
        }
        // closing the application closed the client (no thread of it is left) and unregistered its provider
        assertThat(OpenFeatureAPI.getInstance().getProvider()).isInstanceOf(NoOpProvider.class);
        await().atMost(PATIENCE).until(() -> darklaunchThreads().isEmpty());
        assertThat(client.isEnabled("new-checkout", sweden)).isFalse(); // evaluations still answer, from the last data
    }

    private static JsonNode actuatorHealth(ConfigurableApplicationContext application) throws Exception {
        int port = ((WebServerApplicationContext) application).getWebServer().getPort();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> darklaunchThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("darklaunch-")).toList();
    }
}
