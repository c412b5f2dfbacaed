package dev.darklaunch.spring;

import dev.darklaunch.openfeature.DarklaunchProvider;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/**
 * OpenFeature over the Darklaunch client, when the application has {@code darklaunch-openfeature}
 * (and so {@code dev.openfeature:sdk}): a {@link DarklaunchProvider} registered as
 * {@link OpenFeatureAPI}'s default provider, and an OpenFeature {@link Client} bean.
 * {@code darklaunch.openfeature.enabled=false} leaves OpenFeature alone; your own
 * {@link OpenFeatureAPI} bean means you register providers yourself.
 */
@AutoConfiguration(after = DarklaunchAutoConfiguration.class)
@ConditionalOnClass({OpenFeatureAPI.class, DarklaunchProvider.class})
@ConditionalOnSingleCandidate(DarklaunchClient.class)
@ConditionalOnProperty(prefix = "darklaunch.openfeature", name = "enabled", havingValue = "true", matchIfMissing = true)
public class DarklaunchOpenFeatureAutoConfiguration {

    /**
     * Waits for no data: the client's creation already waited the init timeout for it. A provider
     * over a client without data starts in OpenFeature's ERROR state (callers get their defaults)
     * and turns READY when the flags arrive. Its lifecycle belongs to OpenFeatureAPI (no destroy method).
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    DarklaunchProvider darklaunchProvider(DarklaunchClient client) {
        return new DarklaunchProvider(client, Duration.ZERO);
    }

    @Bean
    @ConditionalOnMissingBean(OpenFeatureAPI.class)
    OpenFeatureRegistration darklaunchOpenFeatureRegistration(DarklaunchProvider provider) {
        return OpenFeatureRegistration.register(OpenFeatureAPI.getInstance(), provider);
    }

    /** The JVM's OpenFeatureAPI, with the provider registered; never shut down by Spring (others in the JVM may use it). */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    OpenFeatureAPI openFeatureApi(OpenFeatureRegistration registration) {
        return registration.api();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    Client openFeatureClient(OpenFeatureAPI openFeatureApi) {
        return openFeatureApi.getClient();
    }
}
