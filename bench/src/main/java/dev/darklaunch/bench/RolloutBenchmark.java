package dev.darklaunch.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * (b) A sticky 50 % rollout by user id: a hash of the flag and the user id picks the answer.
 * FF4J is absent: its only percentage strategy is random per call, not sticky.
 */
public class RolloutBenchmark extends Scenario {

    @Param({FlagLibrary.DARKLAUNCH, FlagLibrary.UNLEASH, FlagLibrary.LAUNCHDARKLY, FlagLibrary.TOGGLZ})
    public String library;

    @Setup(Level.Trial)
    public void setUp() {
        open(library, Workload.Kind.ROLLOUT);
    }
}
