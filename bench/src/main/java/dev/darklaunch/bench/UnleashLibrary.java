package dev.darklaunch.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unleash ({@code io.getunleash:unleash-client-java}, evaluating in its Yggdrasil engine):
 * bootstrapped from a generated client-features payload, fully offline — polling and metrics
 * disabled (so no registration either), the metrics timer pushed out to an hour, and a backup file
 * that does not exist (a backup would win over the bootstrap). Then
 * {@code unleash.isEnabled(key, context)} with a prepared {@link UnleashContext}.
 *
 * <ul>
 *   <li>on/off: {@code enabled} with the {@code default} strategy;
 *   <li>rollout: the {@code flexibleRollout} strategy, 50 %, stickiness {@code userId}, group id the flag key;
 *   <li>rule: the {@code default} strategy with five constraints: {@code country IN […]},
 *       {@code plan IN [pro]}, {@code email STR_ENDS_WITH @example.com}, {@code appVersion} not
 *       {@code SEMVER_LT 2.1.0} (Unleash has no "greater or equal", so an inverted "less than"),
 *       {@code beta IN [true]} (context properties are text).
 * </ul>
 */
final class UnleashLibrary implements FlagLibrary {

    private final Unleash unleash;
    private final Path directory;
    private final String[] keys;
    private final UnleashContext[] contexts;

    UnleashLibrary(Workload workload) {
        String features = featuresJson(workload);
        try {
            directory = Files.createTempDirectory("bench-unleash");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UnleashConfig config = UnleashConfig.builder()
                .appName("darklaunch-bench")
                .instanceId("bench")
                .unleashAPI("http://127.0.0.1:9/api/") // never contacted: polling and metrics are off
                .disablePolling()
                .disableMetrics()
                .sendMetricsInterval(3_600)
                .backupFile(directory.resolve("absent-backup.json").toString())
                .toggleBootstrapProvider(() -> Optional.of(features))
                .build();
        unleash = new DefaultUnleash(config);
        keys = workload.flags().stream().map(Workload.FlagSpec::key).toArray(String[]::new);
        contexts = workload.users().stream().map(UnleashLibrary::context).toArray(UnleashContext[]::new);
        if (unleash.more().getFeatureToggleNames().size() != workload.flags().size()) {
            throw new IllegalStateException("Unleash loaded " + unleash.more().getFeatureToggleNames().size()
                    + " toggles from the bootstrap, expected " + workload.flags().size());
        }
    }

    @Override
    public boolean isEnabled(int flag, int user) {
        return unleash.isEnabled(keys[flag], contexts[user]);
    }

    @Override
    public void close() {
        unleash.shutdown();
        try {
            Files.deleteIfExists(directory.resolve("absent-backup.json"));
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    static String featuresJson(Workload workload) {
        List<Object> features = new ArrayList<>();
        for (Workload.FlagSpec spec : workload.flags()) {
            Object strategy = switch (spec.kind()) {
                case ON_OFF -> Map.of("name", "default", "parameters", Map.of(), "constraints", List.of());
                case ROLLOUT -> Map.of("name", "flexibleRollout", "parameters", Map.of(
                        "rollout", Integer.toString(Workload.ROLLOUT_PERCENT), "stickiness", "userId", "groupId", spec.key()),
                        "constraints", List.of());
                case RULE -> Map.of("name", "default", "parameters", Map.of(), "constraints", List.of(
                        constraint(Workload.COUNTRY, "IN", Workload.RULE_COUNTRIES, false),
                        constraint(Workload.PLAN, "IN", List.of(Workload.RULE_PLAN), false),
                        constraint(Workload.EMAIL, "STR_ENDS_WITH", List.of(Workload.RULE_EMAIL_SUFFIX), false),
                        Map.of("contextName", Workload.APP_VERSION, "operator", "SEMVER_LT",
                                "value", Workload.RULE_MIN_VERSION, "inverted", true, "caseInsensitive", false),
                        constraint(Workload.BETA, "IN", List.of("true"), false)));
            };
            features.add(Map.of("name", spec.key(), "type", "release", "project", "default", "enabled", spec.on(),
                    "stale", false, "impressionData", false, "strategies", List.of(strategy), "variants", List.of()));
        }
        try {
            return new ObjectMapper().writeValueAsString(Map.of("version", 2, "features", features));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> constraint(String attribute, String operator, List<String> values, boolean inverted) {
        return Map.of("contextName", attribute, "operator", operator, "values", values,
                "inverted", inverted, "caseInsensitive", false);
    }

    private static UnleashContext context(Workload.User user) {
        return UnleashContext.builder()
                .userId(user.id())
                .addProperty(Workload.COUNTRY, user.country())
                .addProperty(Workload.PLAN, user.plan())
                .addProperty(Workload.EMAIL, user.email())
                .addProperty(Workload.APP_VERSION, user.appVersion())
                .addProperty(Workload.BETA, Boolean.toString(user.beta()))
                .build();
    }
}
