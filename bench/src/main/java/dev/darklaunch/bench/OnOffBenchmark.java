package dev.darklaunch.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** (a) An on/off flag: no targets, no rules; half the on/off flags are on, half off. Every library can express it. */
public class OnOffBenchmark extends Scenario {

    @Param({FlagLibrary.DARKLAUNCH, FlagLibrary.UNLEASH, FlagLibrary.LAUNCHDARKLY, FlagLibrary.FF4J, FlagLibrary.TOGGLZ})
    public String library;

    @Setup(Level.Trial)
    public void setUp() {
        open(library, Workload.Kind.ON_OFF);
    }
}
