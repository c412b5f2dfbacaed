package dev.darklaunch.bench;

import dev.darklaunch.openfeature.DarklaunchProvider;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * The OpenFeature API ({@code dev.openfeature:sdk}) over a provider: Darklaunch's
 * ({@link DarklaunchProvider} over the same client {@link DarklaunchLibrary} measures directly), or
 * OpenFeature's own {@link InMemoryProvider} as the floor of what any provider costs through the
 * API. The measured call is {@code client.getBooleanValue(key, false, context)}, with one
 * evaluation context per user prepared in advance, as an application would keep per request.
 *
 * <p>The in-memory provider has no rollouts; its 50 % rollout is a context evaluator bucketing
 * {@code (flag key + targeting key).hashCode()} — cheaper than Darklaunch's MurmurHash3, so it
 * flatters the in-memory side.
 */
final class OpenFeatureLibrary implements FlagLibrary {

    private final DarklaunchClient darklaunch;
    private final Client client;
    private final String[] keys;
    private final EvaluationContext[] contexts;

    private OpenFeatureLibrary(DarklaunchClient darklaunch, FeatureProvider provider, Workload workload) {
        this.darklaunch = darklaunch;
        OpenFeatureAPI.getInstance().setProviderAndWait(provider);
        client = OpenFeatureAPI.getInstance().getClient();
        keys = workload.flags().stream().map(Workload.FlagSpec::key).toArray(String[]::new);
        contexts = workload.users().stream().map(OpenFeatureLibrary::context).toArray(EvaluationContext[]::new);
    }

    static OpenFeatureLibrary overDarklaunch(Workload workload) {
        DarklaunchClient client = DarklaunchClient.create(DarklaunchConfig.builder()
                .bootstrap(DarklaunchLibrary.snapshotJson(workload)).build());
        return new OpenFeatureLibrary(client, new DarklaunchProvider(client), workload);
    }

    static OpenFeatureLibrary inMemory(Workload workload) {
        Map<String, Flag<?>> flags = new HashMap<>();
        for (Workload.FlagSpec spec : workload.flags()) {
            Flag.FlagBuilder<Boolean> flag = Flag.<Boolean>builder().variant("on", true).variant("off", false);
            switch (spec.kind()) {
                case ON_OFF -> flag.defaultVariant(spec.on() ? "on" : "off");
                case ROLLOUT -> flag.defaultVariant("off").contextEvaluator((f, context) ->
                        Math.floorMod((spec.key() + context.getTargetingKey()).hashCode(), 100) < Workload.ROLLOUT_PERCENT);
                case RULE -> flag.defaultVariant("off"); // not expressible without hand-written rule code
            }
            flags.put(spec.key(), flag.build());
        }
        return new OpenFeatureLibrary(null, new InMemoryProvider(flags), workload);
    }

    @Override
    public java.util.Set<Workload.Kind> expressible() {
        return darklaunch != null ? FlagLibrary.super.expressible() : java.util.EnumSet.of(Workload.Kind.ON_OFF, Workload.Kind.ROLLOUT);
    }

    @Override
    public boolean isEnabled(int flag, int user) {
        return client.getBooleanValue(keys[flag], false, contexts[user]);
    }

    @Override
    public void close() {
        OpenFeatureAPI.getInstance().shutdown();
        if (darklaunch != null) {
            darklaunch.close();
        }
    }

    private static EvaluationContext context(Workload.User user) {
        Map<String, Value> attributes = new HashMap<>();
        attributes.put(Workload.COUNTRY, new Value(user.country()));
        attributes.put(Workload.PLAN, new Value(user.plan()));
        attributes.put(Workload.EMAIL, new Value(user.email()));
        attributes.put(Workload.APP_VERSION, new Value(user.appVersion()));
        attributes.put(Workload.BETA, new Value(user.beta()));
        return new ImmutableContext(user.id(), attributes);
    }
}
