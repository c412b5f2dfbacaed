package dev.darklaunch.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.launchdarkly.logging.LDLogLevel;
import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LaunchDarkly ({@code com.launchdarkly:launchdarkly-java-server-sdk}): a client whose data source
 * is {@link FileData} reading a generated flags file (full flag JSON, no auto-update), with events
 * disabled ({@code Components.noEvents()}) and diagnostics opted out, so it never opens a
 * connection. ({@code offline(true)} is not used: it would also switch the file source off.) Then
 * {@code client.boolVariation(key, context, false)} with a prepared {@link LDContext}.
 *
 * <ul>
 *   <li>on/off: {@code on} true/false, fallthrough variation {@code true}, off variation {@code false};
 *   <li>rollout: fallthrough rollout 50 000/50 000 (LaunchDarkly's weights are out of 100 000),
 *       bucketed by the context key, salted with the flag key;
 *   <li>rule: one rule with five clauses: {@code country in […]}, {@code plan in [pro]},
 *       {@code email endsWith @example.com}, {@code appVersion} negated {@code semVerLessThan 2.1.0}
 *       (no "greater or equal" operator), {@code beta in [true]}.
 * </ul>
 */
final class LaunchDarklyLibrary implements FlagLibrary {

    private static final int TRUE = 0;
    private static final int FALSE = 1;

    private final LDClient client;
    private final Path file;
    private final String[] keys;
    private final LDContext[] contexts;

    LaunchDarklyLibrary(Workload workload) {
        try {
            file = Files.createTempFile("bench-launchdarkly-", ".json");
            Files.writeString(file, flagsJson(workload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LDConfig config = new LDConfig.Builder()
                .dataSource(FileData.dataSource().filePaths(file))
                .events(Components.noEvents())
                .diagnosticOptOut(true)
                .logging(Components.logging().level(LDLogLevel.WARN))
                .startWait(Duration.ofSeconds(10))
                .build();
        client = new LDClient("sdk-bench-offline", config);
        if (!client.isInitialized()) {
            throw new IllegalStateException("LaunchDarkly client did not load " + file);
        }
        keys = workload.flags().stream().map(Workload.FlagSpec::key).toArray(String[]::new);
        contexts = workload.users().stream().map(LaunchDarklyLibrary::context).toArray(LDContext[]::new);
    }

    @Override
    public boolean isEnabled(int flag, int user) {
        return client.boolVariation(keys[flag], contexts[user], false);
    }

    @Override
    public void close() {
        try {
            client.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String flagsJson(Workload workload) {
        Map<String, Object> flags = new LinkedHashMap<>();
        for (Workload.FlagSpec spec : workload.flags()) {
            Map<String, Object> flag = new LinkedHashMap<>();
            flag.put("key", spec.key());
            flag.put("version", 1);
            flag.put("on", spec.on());
            flag.put("variations", List.of(true, false));
            flag.put("offVariation", FALSE);
            flag.put("salt", spec.key());
            flag.put("targets", List.of());
            flag.put("prerequisites", List.of());
            switch (spec.kind()) {
                case ON_OFF -> {
                    flag.put("rules", List.of());
                    flag.put("fallthrough", Map.of("variation", TRUE));
                }
                case ROLLOUT -> {
                    int on = 100_000 * Workload.ROLLOUT_PERCENT / 100;
                    flag.put("rules", List.of());
                    flag.put("fallthrough", Map.of("rollout", Map.of("variations", List.of(
                            Map.of("variation", TRUE, "weight", on),
                            Map.of("variation", FALSE, "weight", 100_000 - on)))));
                }
                case RULE -> {
                    flag.put("rules", List.of(Map.of("id", "five-clauses", "variation", TRUE, "clauses", List.of(
                            clause(Workload.COUNTRY, "in", Workload.RULE_COUNTRIES, false),
                            clause(Workload.PLAN, "in", List.of(Workload.RULE_PLAN), false),
                            clause(Workload.EMAIL, "endsWith", List.of(Workload.RULE_EMAIL_SUFFIX), false),
                            clause(Workload.APP_VERSION, "semVerLessThan", List.of(Workload.RULE_MIN_VERSION), true),
                            clause(Workload.BETA, "in", List.of(true), false)))));
                    flag.put("fallthrough", Map.of("variation", FALSE));
                }
            }
            flags.put(spec.key(), flag);
        }
        try {
            return new ObjectMapper().writeValueAsString(Map.of("flags", flags, "segments", Map.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> clause(String attribute, String op, List<?> values, boolean negate) {
        return Map.of("attribute", attribute, "op", op, "values", values, "negate", negate);
    }

    private static LDContext context(Workload.User user) {
        return LDContext.builder(user.id())
                .set(Workload.COUNTRY, user.country())
                .set(Workload.PLAN, user.plan())
                .set(Workload.EMAIL, user.email())
                .set(Workload.APP_VERSION, user.appVersion())
                .set(Workload.BETA, user.beta())
                .build();
    }
}
