/** A JUnit 5 extension that hands each test its own Darklaunch test flags and client. */
module dev.darklaunch.sdk.test {
    exports dev.darklaunch.sdk.test;

    requires transitive dev.darklaunch.sdk;
    requires transitive org.junit.jupiter.api;
}
