package dev.darklaunch.bench;

import java.util.EnumSet;
import java.util.Set;

/**
 * One feature-flag library loaded with the {@link Workload}. An implementation converts every
 * flag and every user into the library's own form once, when it is opened, so that a measured
 * call is nothing but the library's own evaluation: {@code isEnabled(flag, user)} looks up two
 * prepared objects by index and hands them to the library.
 *
 * <p>Each benchmark fork opens exactly one library, so this interface's call site stays
 * monomorphic and the JIT inlines it; every library pays the same (tiny) price for it.
 */
interface FlagLibrary extends AutoCloseable {

    /** Names usable as the benchmarks' {@code library} parameter. */
    String DARKLAUNCH = "darklaunch";
    String UNLEASH = "unleash";
    String LAUNCHDARKLY = "launchdarkly";
    String FF4J = "ff4j";
    String TOGGLZ = "togglz";
    /** The OpenFeature API over DarklaunchProvider, and over OpenFeature's InMemoryProvider. */
    String OPENFEATURE_DARKLAUNCH = "openfeature-darklaunch";
    String OPENFEATURE_IN_MEMORY = "openfeature-inmemory";

    /** Whether flag {@code flag} (an index into {@link Workload#flags()}) is on for user {@code user}. */
    boolean isEnabled(int flag, int user);

    /**
     * The kinds of flag this library can express with its own built-in features. Flags of other
     * kinds are still loaded (as plain enabled flags) so that every library holds 1 000 flags, but
     * the scenario is not run for it.
     */
    default Set<Workload.Kind> expressible() {
        return EnumSet.allOf(Workload.Kind.class);
    }

    @Override
    void close();

    /** Opens the named library with the workload; the caller closes it. */
    static FlagLibrary open(String name, Workload workload) {
        return switch (name) {
            case DARKLAUNCH -> new DarklaunchLibrary(workload);
            case UNLEASH -> new UnleashLibrary(workload);
            case LAUNCHDARKLY -> new LaunchDarklyLibrary(workload);
            case FF4J -> new Ff4jLibrary(workload);
            case TOGGLZ -> new TogglzLibrary(workload);
            case OPENFEATURE_DARKLAUNCH -> OpenFeatureLibrary.overDarklaunch(workload);
            case OPENFEATURE_IN_MEMORY -> OpenFeatureLibrary.inMemory(workload);
            default -> throw new IllegalArgumentException("unknown library " + name);
        };
    }
}
