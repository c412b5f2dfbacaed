package dev.darklaunch.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.ModelJson;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.WeightedVariation;

import java.util.ArrayList;
import java.util.List;

/**
 * Darklaunch: a {@link DarklaunchClient} bootstrapped from an SDK-feed snapshot (the same JSON the
 * server sends), built from the model records and written by {@link ModelJson}, then
 * {@code client.isEnabled(key, context)}.
 */
final class DarklaunchLibrary implements FlagLibrary {

    private static final int TRUE = 0;
    private static final int FALSE = 1;

    private final DarklaunchClient client;
    private final String[] keys;
    private final Context[] contexts;

    DarklaunchLibrary(Workload workload) {
        client = DarklaunchClient.create(DarklaunchConfig.builder().bootstrap(snapshotJson(workload)).build());
        if (!client.isReady()) {
            throw new IllegalStateException("Darklaunch client did not load the bootstrap data");
        }
        keys = workload.flags().stream().map(Workload.FlagSpec::key).toArray(String[]::new);
        contexts = workload.users().stream().map(DarklaunchLibrary::context).toArray(Context[]::new);
    }

    @Override
    public boolean isEnabled(int flag, int user) {
        return client.isEnabled(keys[flag], contexts[user]);
    }

    @Override
    public void close() {
        client.close();
    }

    static String snapshotJson(Workload workload) {
        List<EnvironmentFlag> flags = new ArrayList<>();
        for (Workload.FlagSpec spec : workload.flags()) {
            Flag flag = Flag.ofBoolean(spec.key(), spec.key()); // variations: true (0), false (1)
            FlagConfig config = switch (spec.kind()) {
                case ON_OFF -> new FlagConfig(spec.on(), FALSE, List.of(), List.of(), Serve.ofVariation(TRUE), List.of());
                case ROLLOUT -> new FlagConfig(true, FALSE, List.of(), List.of(), Serve.ofRollout(halfRollout()), List.of());
                case RULE -> new FlagConfig(true, FALSE, List.of(), List.of(fiveClauseRule()), Serve.ofVariation(FALSE), List.of());
            };
            ModelValidator.validateFlag(flag);
            ModelValidator.validateConfig(flag, config);
            flags.add(new EnvironmentFlag(flag, config));
        }
        try {
            return ModelJson.mapper().writeValueAsString(new EnvironmentData(1, flags, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sticky by context key (bucketBy null), salted with the flag key (salt null). */
    private static Rollout halfRollout() {
        int on = Rollout.TOTAL_WEIGHT * Workload.ROLLOUT_PERCENT / 100;
        return new Rollout(List.of(new WeightedVariation(TRUE, on), new WeightedVariation(FALSE, Rollout.TOTAL_WEIGHT - on)),
                null, null);
    }

    private static Rule fiveClauseRule() {
        List<JsonNode> countries = Workload.RULE_COUNTRIES.stream().map(c -> (JsonNode) TextNode.valueOf(c)).toList();
        return new Rule("five-clauses", null, List.of(
                new Clause(Workload.COUNTRY, Operator.IN, countries, false, false),
                Clause.of(Workload.PLAN, Operator.IN, TextNode.valueOf(Workload.RULE_PLAN)),
                Clause.of(Workload.EMAIL, Operator.ENDS_WITH, TextNode.valueOf(Workload.RULE_EMAIL_SUFFIX)),
                Clause.of(Workload.APP_VERSION, Operator.SEMVER_GTE, TextNode.valueOf(Workload.RULE_MIN_VERSION)),
                Clause.of(Workload.BETA, Operator.IN, BooleanNode.TRUE)),
                Serve.ofVariation(TRUE));
    }

    private static Context context(Workload.User user) {
        return Context.of(user.id())
                .with(Workload.COUNTRY, user.country())
                .with(Workload.PLAN, user.plan())
                .with(Workload.EMAIL, user.email())
                .with(Workload.APP_VERSION, user.appVersion())
                .with(Workload.BETA, user.beta());
    }
}
