package dev.darklaunch.bench;

import org.togglz.core.Feature;
import org.togglz.core.activation.GradualActivationStrategy;
import org.togglz.core.manager.FeatureManager;
import org.togglz.core.manager.FeatureManagerBuilder;
import org.togglz.core.metadata.EmptyFeatureMetaData;
import org.togglz.core.metadata.FeatureMetaData;
import org.togglz.core.repository.FeatureState;
import org.togglz.core.repository.mem.InMemoryStateRepository;
import org.togglz.core.spi.FeatureProvider;
import org.togglz.core.user.FeatureUser;
import org.togglz.core.user.SimpleFeatureUser;
import org.togglz.core.user.UserProvider;
import org.togglz.core.util.NamedFeature;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Togglz ({@code org.togglz:togglz-core}): a {@link FeatureManager} over 1 000
 * {@link NamedFeature}s (Togglz's features are usually an enum; a provider lists them here), an
 * {@link InMemoryStateRepository}, and a user provider that hands out the user the benchmark set
 * for this call. Then {@code featureManager.isActive(feature)}.
 *
 * <p>The user provider is a plain field rather than Togglz's {@code ThreadLocalUserProvider}: the
 * other libraries take a prepared context as an argument, which costs them nothing, and binding a
 * user to a thread is per request, not per flag. Giving Togglz the cheapest possible binding keeps
 * the comparison fair to it. (Benchmarks are single-threaded; see README.)
 *
 * <ul>
 *   <li>on/off: an enabled/disabled state with no strategy;
 *   <li>rollout: {@link GradualActivationStrategy} at 50 %: sticky, by
 *       {@code hashCode("<user name>:<feature name>") % 100} — user name is the user id;
 *   <li>rule: not expressible. No core strategy matches user attributes (the script strategy
 *       needs a JSR-223 engine, which Java 17 no longer ships); rule flags are loaded as plain
 *       enabled features so that Togglz still holds 1 000 features.
 * </ul>
 */
final class TogglzLibrary implements FlagLibrary {

    private final CurrentUser currentUser = new CurrentUser();
    private final FeatureManager features;
    private final Feature[] flags;
    private final FeatureUser[] users;

    TogglzLibrary(Workload workload) {
        flags = workload.flags().stream().map(spec -> new NamedFeature(spec.key())).toArray(Feature[]::new);
        Feature[] stored = workload.flags().stream().map(spec -> new NamedFeature(Workload.copy(spec.key()))).toArray(Feature[]::new);
        InMemoryStateRepository states = new InMemoryStateRepository();
        for (int i = 0; i < stored.length; i++) {
            FeatureState state = new FeatureState(stored[i], workload.flags().get(i).on());
            if (workload.flags().get(i).kind() == Workload.Kind.ROLLOUT) {
                state.setStrategyId(GradualActivationStrategy.ID);
                state.setParameter(GradualActivationStrategy.PARAM_PERCENTAGE, Integer.toString(Workload.ROLLOUT_PERCENT));
            }
            states.setFeatureState(state);
        }
        features = FeatureManagerBuilder.begin()
                .name("darklaunch-bench")
                .featureProvider(new Listed(new LinkedHashSet<>(List.of(stored))))
                .stateRepository(states)
                .userProvider(currentUser)
                .build();
        users = workload.users().stream().map(user -> new SimpleFeatureUser(user.id())).toArray(FeatureUser[]::new);
    }

    @Override
    public boolean isEnabled(int flag, int user) {
        currentUser.user = users[user];
        return features.isActive(flags[flag]);
    }

    @Override
    public Set<Workload.Kind> expressible() {
        return EnumSet.of(Workload.Kind.ON_OFF, Workload.Kind.ROLLOUT);
    }

    @Override
    public void close() {
        // nothing to stop: Togglz starts no threads
    }

    /** The user of the current call; single-threaded use only. */
    private static final class CurrentUser implements UserProvider {
        FeatureUser user;

        @Override
        public FeatureUser getCurrentUser() {
            return user;
        }
    }

    /** Features known by name rather than by enum constant. */
    private record Listed(Set<Feature> features) implements FeatureProvider {
        @Override
        public Set<Feature> getFeatures() {
            return features;
        }

        @Override
        public FeatureMetaData getMetaData(Feature feature) {
            return new EmptyFeatureMetaData(feature);
        }
    }
}
