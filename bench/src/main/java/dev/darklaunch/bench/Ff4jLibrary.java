package dev.darklaunch.bench;

import org.ff4j.FF4j;
import org.ff4j.core.Feature;
import org.ff4j.core.FlippingExecutionContext;
import org.ff4j.store.InMemoryFeatureStore;

import java.util.EnumSet;
import java.util.Set;

/**
 * FF4J ({@code org.ff4j:ff4j-core}): an {@link FF4j} over an {@link InMemoryFeatureStore}, audit
 * off (the default), then {@code ff4j.check(key, executionContext)} with a prepared
 * {@link FlippingExecutionContext} per user.
 *
 * <p>Only on/off is expressible. FF4J's core has no sticky percentage: its
 * {@code PonderationStrategy} (and {@code DarkLaunchStrategy}, a subclass) draws
 * {@code Math.random()} on every check, so the same user flips between on and off; and no core
 * strategy matches user attributes (white/black lists and client/server filters look at host
 * names only). Rollout and rule flags are loaded as plain enabled features so that the store
 * still holds 1 000 features.
 */
final class Ff4jLibrary implements FlagLibrary {

    private final FF4j ff4j;
    private final String[] keys;
    private final FlippingExecutionContext[] contexts;

    Ff4jLibrary(Workload workload) {
        ff4j = new FF4j();
        ff4j.setFeatureStore(new InMemoryFeatureStore());
        for (Workload.FlagSpec spec : workload.flags()) {
            ff4j.createFeature(new Feature(Workload.copy(spec.key()), spec.on()));
        }
        keys = workload.flags().stream().map(Workload.FlagSpec::key).toArray(String[]::new);
        contexts = workload.users().stream().map(Ff4jLibrary::context).toArray(FlippingExecutionContext[]::new);
    }

    @Override
    public boolean isEnabled(int flag, int user) {
        return ff4j.check(keys[flag], contexts[user]);
    }

    @Override
    public Set<Workload.Kind> expressible() {
        return EnumSet.of(Workload.Kind.ON_OFF);
    }

    @Override
    public void close() {
        ff4j.stop();
    }

    private static FlippingExecutionContext context(Workload.User user) {
        FlippingExecutionContext context = new FlippingExecutionContext();
        context.putString("userId", user.id());
        context.putString(Workload.COUNTRY, user.country());
        context.putString(Workload.PLAN, user.plan());
        context.putString(Workload.EMAIL, user.email());
        context.putString(Workload.APP_VERSION, user.appVersion());
        context.putBoolean(Workload.BETA, user.beta());
        return context;
    }
}
