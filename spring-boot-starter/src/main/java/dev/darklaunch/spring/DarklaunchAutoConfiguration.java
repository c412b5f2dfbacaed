package dev.darklaunch.spring;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * A {@link DarklaunchClient} from the {@code darklaunch.*} properties ({@link DarklaunchProperties}),
 * closed with the application context. Define your own {@link DarklaunchConfig} bean to keep the
 * managed client but set it up in code, or your own {@link DarklaunchClient} bean to replace it;
 * {@code darklaunch.enabled=false} creates none.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnProperty(prefix = "darklaunch", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(DarklaunchProperties.class)
public class DarklaunchAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean({DarklaunchConfig.class, DarklaunchClient.class})
    DarklaunchConfig darklaunchConfig(DarklaunchProperties properties, ObjectProvider<SslBundles> sslBundles) {
        return ConfigFromProperties.build(properties, sslBundles::getObject);
    }

    /** Waits at most the init timeout for the server's flags; closing the context stops the client's threads. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DarklaunchClient darklaunchClient(DarklaunchConfig darklaunchConfig) {
        return DarklaunchClient.create(darklaunchConfig);
    }
}
