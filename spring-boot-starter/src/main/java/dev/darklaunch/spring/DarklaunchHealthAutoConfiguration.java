package dev.darklaunch.spring;

import dev.darklaunch.sdk.DarklaunchClient;
import org.springframework.boot.actuate.autoconfigure.health.CompositeHealthContributorConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.util.Map;

/**
 * The {@code darklaunch} health contributor, when the application has Actuator: one
 * {@link DarklaunchHealthIndicator} per {@link DarklaunchClient} bean (several clients show as
 * components named after their beans). {@code management.health.darklaunch.enabled=false} leaves it out.
 */
@AutoConfiguration(after = DarklaunchAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(DarklaunchClient.class)
@ConditionalOnEnabledHealthIndicator("darklaunch")
public class DarklaunchHealthAutoConfiguration extends CompositeHealthContributorConfiguration<DarklaunchHealthIndicator, DarklaunchClient> {

    public DarklaunchHealthAutoConfiguration() {
        super(DarklaunchHealthIndicator::new);
    }

    @Bean
    @ConditionalOnMissingBean(name = {"darklaunchHealthIndicator", "darklaunchHealthContributor"})
    HealthContributor darklaunchHealthContributor(Map<String, DarklaunchClient> clients) {
        return createContributor(clients);
    }
}
