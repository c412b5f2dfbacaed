package dev.darklaunch.spring;

import dev.darklaunch.openfeature.DarklaunchProvider;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenFeature part of the auto-configuration: provider registration, the Client bean, and when they stay away. */
class DarklaunchOpenFeatureAutoConfigurationTest {

    private static final EvaluationContext NORWAY = new ImmutableContext("user-1", Map.of("country", new Value("NO")));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DarklaunchAutoConfiguration.class, DarklaunchOpenFeatureAutoConfiguration.class));

    @AfterEach
    void leaveOpenFeatureAsFound() {
        OpenFeatureAPI.getInstance().setProviderAndWait(new NoOpProvider());
    }

    @Test
    void the_client_bean_evaluates_through_darklaunch_and_closing_the_context_unregisters_the_provider() {
        runner.withPropertyValues("darklaunch.offline=true", "darklaunch.bootstrap=classpath:flags.json").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Client.class).hasSingleBean(DarklaunchProvider.class);
            FlagEvaluationDetails<Boolean> details = context.getBean(Client.class).getBooleanDetails("new-checkout", false, NORWAY);
            assertThat(details.getValue()).isTrue();
            assertThat(details.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
            assertThat(OpenFeatureAPI.getInstance().getProvider()).isSameAs(context.getBean(DarklaunchProvider.class));
            // the JVM-wide API serves the same flags to code that asks it directly
            assertThat(OpenFeatureAPI.getInstance().getClient().getBooleanValue("new-checkout", false, NORWAY)).isTrue();
        });
        assertThat(OpenFeatureAPI.getInstance().getProvider()).isInstanceOf(NoOpProvider.class);
    }

    @Test
    void closing_the_context_leaves_the_rest_of_the_jvms_openfeature_api_alone() {
        NoOpProvider elsewhere = new NoOpProvider();
        OpenFeatureAPI.getInstance().setProviderAndWait("another-part-of-the-jvm", elsewhere);
        runner.withPropertyValues("darklaunch.offline=true").run(context -> assertThat(context).hasSingleBean(Client.class));
        // Spring must not have called OpenFeatureAPI.shutdown(), which drops every domain's provider
        assertThat(OpenFeatureAPI.getInstance().getProvider("another-part-of-the-jvm")).isSameAs(elsewhere);
    }

    @Test
    void a_client_without_flags_does_not_stop_the_start_and_openfeature_callers_get_their_defaults() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        runner.withPropertyValues("darklaunch.base-url=http://127.0.0.1:" + closedPort, "darklaunch.sdk-token=dl_sdk_x",
                "darklaunch.init-timeout=0s").run(context -> {
            assertThat(context).hasNotFailed();
            FlagEvaluationDetails<Boolean> details = context.getBean(Client.class).getBooleanDetails("new-checkout", true, NORWAY);
            assertThat(details.getValue()).isTrue();
            assertThat(details.getErrorCode()).isIn(ErrorCode.PROVIDER_NOT_READY, ErrorCode.GENERAL);
        });
    }

    @Test
    void without_openfeature_on_the_classpath_there_is_a_darklaunch_client_only() {
        runner.withClassLoader(new FilteredClassLoader(OpenFeatureAPI.class)).withPropertyValues("darklaunch.offline=true")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(DarklaunchClient.class)
                        .doesNotHaveBean(Client.class).doesNotHaveBean(DarklaunchProvider.class));
        runner.withClassLoader(new FilteredClassLoader(DarklaunchProvider.class)).withPropertyValues("darklaunch.offline=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Client.class));
    }

    @Test
    void openfeature_enabled_false_leaves_openfeature_alone() {
        runner.withPropertyValues("darklaunch.offline=true", "darklaunch.openfeature.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(DarklaunchClient.class).doesNotHaveBean(Client.class).doesNotHaveBean(DarklaunchProvider.class);
            assertThat(OpenFeatureAPI.getInstance().getProvider()).isInstanceOf(NoOpProvider.class);
        });
    }

    @Test
    void a_users_openfeature_api_bean_means_no_registration_but_a_provider_to_register() {
        runner.withPropertyValues("darklaunch.offline=true").withUserConfiguration(OwnApi.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DarklaunchProvider.class).hasSingleBean(Client.class);
            assertThat(OpenFeatureAPI.getInstance().getProvider()).isInstanceOf(NoOpProvider.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnApi {
        @Bean(destroyMethod = "")
        OpenFeatureAPI openFeatureApi() {
            return OpenFeatureAPI.getInstance();
        }
    }
}
