package dev.darklaunch.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * (c) One rule of five clauses, all of which must hold: country in a list of ten, plan equals
 * "pro", email ends with "@example.com", app version (semver) at least 2.1.0, boolean attribute
 * "beta" true. Half the users match; the others each fail one clause, cycling through all five.
 * FF4J and Togglz are absent: neither can express attribute rules with its built-in features.
 */
public class RuleBenchmark extends Scenario {

    @Param({FlagLibrary.DARKLAUNCH, FlagLibrary.UNLEASH, FlagLibrary.LAUNCHDARKLY})
    public String library;

    @Setup(Level.Trial)
    public void setUp() {
        open(library, Workload.Kind.RULE);
    }
}
