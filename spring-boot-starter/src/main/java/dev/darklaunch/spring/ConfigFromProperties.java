package dev.darklaunch.spring;

import dev.darklaunch.sdk.DarklaunchConfig;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.Resource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns {@code darklaunch.*} properties into a {@link DarklaunchConfig}, naming the property at
 * fault in every refusal. Unlike the SDK's builder, which runs offline when given no server at
 * all, a missing server here fails the start: an application deployed without its token would
 * otherwise serve every flag's default (all features dark) with nothing but a log line to show
 * for it. Offline is a choice made explicitly with {@code darklaunch.offline=true}.
 */
final class ConfigFromProperties {

    private static final String OR_ELSE = "To run without a server (tests, local work), set darklaunch.offline=true: flags then "
            + "serve the darklaunch.bootstrap data, or the callers' defaults. To create no Darklaunch client, set darklaunch.enabled=false.";

    private ConfigFromProperties() {
    }

    static DarklaunchConfig build(DarklaunchProperties properties, Supplier<SslBundles> sslBundles) {
        DarklaunchConfig.Builder builder = DarklaunchConfig.builder();
        if (properties.isOffline()) {
            offline(properties, builder);
        } else {
            connected(properties, builder, sslBundles);
        }
        set("darklaunch.init-timeout", () -> builder.initTimeout(properties.getInitTimeout()));
        if (properties.getBackupFile() != null) {
            builder.backupFile(properties.getBackupFile());
        }
        if (properties.getBootstrap() != null) {
            String json = read(properties.getBootstrap());
            set("darklaunch.bootstrap", () -> builder.bootstrap(json));
        }
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            throw new DarklaunchConfigurationException("The darklaunch.* properties conflict: " + e.getMessage(),
                    "Correct the darklaunch.* properties.", e);
        }
    }

    private static void offline(DarklaunchProperties properties, DarklaunchConfig.Builder builder) {
        List<String> conflicting = new ArrayList<>();
        if (properties.getBaseUrl() != null) {
            conflicting.add("darklaunch.base-url");
        }
        if (properties.getSdkToken() != null) {
            conflicting.add("darklaunch.sdk-token");
        }
        if (properties.getSslBundle() != null) {
            conflicting.add("darklaunch.ssl-bundle");
        }
        if (Boolean.TRUE.equals(properties.getEvaluationCounts())) {
            conflicting.add("darklaunch.evaluation-counts=true");
        }
        if (!conflicting.isEmpty()) {
            throw new DarklaunchConfigurationException("darklaunch.offline=true uses no server, but " + String.join(", ", conflicting)
                    + (conflicting.size() == 1 ? " is" : " are") + " set.",
                    "Remove " + String.join(" and ", conflicting) + ", or darklaunch.offline.", null);
        }
        builder.offline();
    }

    private static void connected(DarklaunchProperties properties, DarklaunchConfig.Builder builder, Supplier<SslBundles> sslBundles) {
        List<String> missing = new ArrayList<>();
        if (properties.getBaseUrl() == null) {
            missing.add("darklaunch.base-url");
        }
        if (properties.getSdkToken() == null || properties.getSdkToken().isBlank()) {
            missing.add("darklaunch.sdk-token");
        }
        if (!missing.isEmpty()) {
            throw new DarklaunchConfigurationException("Darklaunch needs darklaunch.base-url and darklaunch.sdk-token to reach its server; "
                    + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " not set.",
                    "Set " + String.join(" and ", missing) + " (e.g. the environment variable"
                            + (missing.size() == 1 ? " " : "s ") + String.join(" and ", missing.stream().map(ConfigFromProperties::variable).toList())
                            + "). " + OR_ELSE, null);
        }
        set("darklaunch.base-url", () -> builder.baseUri(properties.getBaseUrl()));
        builder.sdkToken(properties.getSdkToken());
        builder.streaming(properties.isStreaming());
        set("darklaunch.poll-interval", () -> builder.pollInterval(properties.getPollInterval()));
        if (properties.getEvaluationCounts() != null) {
            builder.evaluationCounts(properties.getEvaluationCounts());
        }
        if (properties.getSslBundle() != null) {
            try {
                builder.sslContext(sslBundles.get().getBundle(properties.getSslBundle()).createSslContext());
            } catch (NoSuchSslBundleException e) {
                throw new DarklaunchConfigurationException("darklaunch.ssl-bundle names the SSL bundle '" + properties.getSslBundle()
                        + "', which is not configured.", "Configure it under spring.ssl.bundle.jks or spring.ssl.bundle.pem, "
                        + "or correct darklaunch.ssl-bundle.", e);
            }
        }
    }

    /** Applies one setting, turning the builder's refusal into one that names the property. */
    private static void set(String property, Runnable setting) {
        try {
            setting.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DarklaunchConfigurationException("Invalid " + property + ": " + e.getMessage(), "Correct " + property + ".", e);
        }
    }

    private static String read(Resource bootstrap) {
        try {
            return bootstrap.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DarklaunchConfigurationException("darklaunch.bootstrap cannot be read: " + bootstrap.getDescription() + " (" + e.getMessage() + ")",
                    "Correct darklaunch.bootstrap, e.g. classpath:flags.json or file:/etc/myapp/flags.json.", e);
        }
    }

    /** darklaunch.sdk-token → DARKLAUNCH_SDKTOKEN, the form Spring Boot's relaxed binding reads from the environment. */
    private static String variable(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }
}
