package dev.darklaunch.spring;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.Status;
import dev.darklaunch.sdk.TestFlags;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The auto-configuration's conditions: which beans appear for which properties, classpath and user beans. */
class DarklaunchAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DarklaunchAutoConfiguration.class, DarklaunchHealthAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, SslAutoConfiguration.class));

    @Test
    void without_a_server_or_offline_the_start_fails_naming_both_properties_and_the_ways_out() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context)).hasMessageContaining("darklaunch.base-url and darklaunch.sdk-token are not set");
            assertThat(failure(context).action()).contains("DARKLAUNCH_BASEURL", "DARKLAUNCH_SDKTOKEN", "darklaunch.offline=true", "darklaunch.enabled=false");
        });
    }

    @Test
    void a_missing_token_is_named_alone_and_a_blank_one_counts_as_missing() {
        runner.withPropertyValues("darklaunch.base-url=http://localhost:1", "darklaunch.sdk-token= ").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context))
                    .hasMessageContaining("darklaunch.sdk-token is not set").hasMessageNotContaining("base-url is");
        });
    }

    @Test
    void a_value_outside_the_sdks_limits_fails_naming_the_property() {
        runner.withPropertyValues("darklaunch.base-url=http://localhost:1", "darklaunch.sdk-token=dl_sdk_x",
                "darklaunch.poll-interval=100ms").run(context ->
                assertThat(failure(context)).hasMessageStartingWith("Invalid darklaunch.poll-interval: the poll interval must be at least 1 s"));
        runner.withPropertyValues("darklaunch.base-url=ftp://flags.example.com", "darklaunch.sdk-token=dl_sdk_x").run(context ->
                assertThat(failure(context)).hasMessageStartingWith("Invalid darklaunch.base-url"));
        runner.withPropertyValues("darklaunch.offline=true", "darklaunch.init-timeout=2m").run(context ->
                assertThat(failure(context)).hasMessageStartingWith("Invalid darklaunch.init-timeout"));
    }

    @Test
    void offline_conflicts_with_a_server_and_says_what_to_remove() {
        runner.withPropertyValues("darklaunch.offline=true", "darklaunch.sdk-token=dl_sdk_secret").run(context -> {
            assertThat(failure(context))
                    .hasMessage("darklaunch.offline=true uses no server, but darklaunch.sdk-token is set.")
                    .hasMessageNotContaining("dl_sdk_secret");
        });
    }

    @Test
    void an_unknown_ssl_bundle_fails_naming_it() {
        runner.withPropertyValues("darklaunch.base-url=https://flags.example.com", "darklaunch.sdk-token=dl_sdk_x",
                "darklaunch.ssl-bundle=internal-ca").run(context ->
                assertThat(failure(context)).hasMessageContaining("'internal-ca', which is not configured"));
    }

    @Test
    void offline_with_bootstrap_data_evaluates_it_and_is_up() {
        runner.withPropertyValues("darklaunch.offline=true", "darklaunch.bootstrap=classpath:flags.json").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DarklaunchClient.class);
            DarklaunchClient client = context.getBean(DarklaunchClient.class);
            assertThat(client.isEnabled("new-checkout", Context.of("user-1").with("country", "NO"))).isTrue();
            assertThat(client.isEnabled("new-checkout", Context.of("user-1").with("country", "SE"))).isFalse();
            assertThat(health(context).getStatus().getCode()).isEqualTo("UP");
            assertThat(health(context).getDetails()).containsEntry("state", "READY").containsKeys("dataUpdatedAt", "dataAge");
        });
    }

    @Test
    void a_bootstrap_resource_that_does_not_exist_fails_naming_the_property() {
        runner.withPropertyValues("darklaunch.offline=true", "darklaunch.bootstrap=classpath:no-such-flags.json").run(context ->
                assertThat(failure(context)).hasMessageStartingWith("darklaunch.bootstrap cannot be read"));
    }

    @Test
    void a_server_that_cannot_be_reached_does_not_stop_the_start_and_shows_in_health_until_the_context_closes_the_client()
            throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        runner.withPropertyValues("darklaunch.base-url=http://127.0.0.1:" + closedPort, "darklaunch.sdk-token=dl_sdk_secret",
                "darklaunch.init-timeout=0s", "darklaunch.bootstrap=classpath:flags.json").run(context -> {
            assertThat(context).hasNotFailed();
            DarklaunchClient client = context.getBean(DarklaunchClient.class);
            // the bootstrap data is served while the server is away
            assertThat(client.isEnabled("new-checkout", Context.of("user-1").with("country", "NO"))).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.status().state() == Status.State.STALE);
            var health = health(context);
            assertThat(health.getStatus().getCode()).isEqualTo("OUT_OF_SERVICE");
            assertThat(health.getDetails()).containsEntry("state", "STALE").containsKey("lastError");
            assertThat(health.getDetails().toString()).doesNotContain("dl_sdk_secret");
            assertThat(clientThreads()).isNotEmpty();
        });
        // closing the context closed the client: its feed, event and HTTP threads end
        await().atMost(Duration.ofSeconds(30)).until(() -> clientThreads().isEmpty());
    }

    @Test
    void enabled_false_creates_no_client_and_no_health_check() {
        runner.withPropertyValues("darklaunch.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(DarklaunchClient.class).doesNotHaveBean("darklaunchHealthContributor"));
    }

    @Test
    void a_users_client_replaces_the_auto_configured_one_and_needs_no_properties() {
        runner.withUserConfiguration(TestFlagsClient.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DarklaunchClient.class).doesNotHaveBean(DarklaunchConfig.class);
            assertThat(context.getBean(DarklaunchClient.class).isEnabled("new-checkout", Context.of("user-1"))).isTrue();
            assertThat(health(context).getStatus().getCode()).isEqualTo("UP"); // the health check follows the user's client
        });
    }

    @Test
    void a_users_config_is_used_for_the_managed_client() {
        runner.withUserConfiguration(OfflineConfig.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DarklaunchClient.class);
            assertThat(context.getBean(DarklaunchClient.class).isEnabled("new-checkout", Context.of("u").with("country", "NO"))).isTrue();
        });
    }

    @Test
    void without_actuator_there_is_a_client_and_no_health_check() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .withPropertyValues("darklaunch.offline=true").run(context ->
                        assertThat(context).hasNotFailed().hasSingleBean(DarklaunchClient.class)
                                .doesNotHaveBean("darklaunchHealthContributor"));
    }

    @Test
    void the_health_check_can_be_switched_off_or_replaced() {
        runner.withPropertyValues("darklaunch.offline=true", "management.health.darklaunch.enabled=false").run(context ->
                assertThat(context).hasSingleBean(DarklaunchClient.class).doesNotHaveBean("darklaunchHealthContributor"));
        runner.withPropertyValues("darklaunch.offline=true").withUserConfiguration(OwnHealth.class).run(context ->
                assertThat(context).doesNotHaveBean("darklaunchHealthContributor").hasBean("darklaunchHealthIndicator"));
    }

    @Test
    void offline_without_data_is_down_and_says_why() {
        runner.withPropertyValues("darklaunch.offline=true").run(context -> {
            var health = health(context);
            assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(health.getDetails()).containsEntry("state", "ERROR")
                    .containsEntry("lastError", "offline, and no backup file or bootstrap data");
        });
    }

    @Test
    void several_clients_show_as_one_component_each() {
        runner.withUserConfiguration(TwoClients.class).run(context -> {
            HealthContributor contributor = context.getBean("darklaunchHealthContributor", HealthContributor.class);
            assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
            assertThat(((CompositeHealthContributor) contributor).getContributor("production")).isNotNull();
            assertThat(((CompositeHealthContributor) contributor).getContributor("staging")).isNotNull();
        });
    }

    private static org.springframework.boot.actuate.health.Health health(org.springframework.context.ApplicationContext context) {
        return context.getBean("darklaunchHealthContributor", HealthIndicator.class).health();
    }

    private static java.util.List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("darklaunch-")).toList();
    }

    /** The start-up failure's DarklaunchConfigurationException (an AssertionError when there is none). */
    private static DarklaunchConfigurationException failure(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
            if (cause instanceof DarklaunchConfigurationException failure) {
                return failure;
            }
        }
        throw new AssertionError("no DarklaunchConfigurationException in", context.getStartupFailure());
    }

    @Configuration(proxyBeanMethods = false)
    static class TestFlagsClient {
        @Bean
        DarklaunchClient darklaunchClient() {
            TestFlags flags = TestFlags.create();
            flags.booleanFlag("new-checkout").on();
            return flags.client();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OfflineConfig {
        @Bean
        DarklaunchConfig darklaunchConfig() throws IOException {
            return DarklaunchConfig.builder().offline()
                    .bootstrap(new String(new org.springframework.core.io.ClassPathResource("flags.json").getContentAsByteArray(),
                            java.nio.charset.StandardCharsets.UTF_8))
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHealth {
        @Bean
        HealthIndicator darklaunchHealthIndicator() {
            return () -> org.springframework.boot.actuate.health.Health.up().build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoClients {
        @Bean
        DarklaunchClient production() {
            return TestFlags.create().client();
        }

        @Bean
        DarklaunchClient staging() {
            return TestFlags.create().client();
        }
    }
}
