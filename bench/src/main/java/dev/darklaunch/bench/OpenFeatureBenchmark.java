package dev.darklaunch.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The OpenFeature provider's own cost: the same on/off and rollout flags evaluated through
 * {@code DarklaunchClient} directly, through the OpenFeature API over {@code DarklaunchProvider},
 * and through the OpenFeature API over OpenFeature's {@code InMemoryProvider} (what the API costs
 * with the simplest provider there is). Run with {@code -prof gc} for B/op.
 */
public class OpenFeatureBenchmark extends Scenario {

    @Param({FlagLibrary.DARKLAUNCH, FlagLibrary.OPENFEATURE_DARKLAUNCH, FlagLibrary.OPENFEATURE_IN_MEMORY})
    public String library;

    @Param({"onoff", "rollout"})
    public String kind;

    @Setup(Level.Trial)
    public void setUp() {
        open(library, kind.equals("onoff") ? Workload.Kind.ON_OFF : Workload.Kind.ROLLOUT);
    }
}
