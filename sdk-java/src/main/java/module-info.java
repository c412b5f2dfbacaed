/**
 * The Darklaunch Java SDK. Only {@code dev.darklaunch.sdk} is exported: the flag model, the
 * evaluator and the data sources under {@code dev.darklaunch.sdk.internal} are neither exported
 * nor open to any module an application writes, so a modular application cannot compile against
 * them nor reach them by reflection. (On the class path, where most applications run, a module
 * descriptor has no effect: there {@code internal} is a promise, not a wall.)
 */
@SuppressWarnings("requires-automatic") // said above, and in the README
module dev.darklaunch.sdk {
    exports dev.darklaunch.sdk;
    // the Micrometer binder: optional, like Micrometer itself (an application without it never loads this package)
    exports dev.darklaunch.sdk.micrometer;
    requires static micrometer.core;

    // JsonNode is part of the public API (jsonVariation), so readers of this module read Jackson too
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.net.http;
    // RE2J (the linear-time engine behind the matches operator) ships without a module name;
    // Maven and Gradle name its jar re2j-<version>.jar, so its automatic module is "re2j"
    requires re2j;

    // Jackson reads and writes the model's records (the feed, backups, bootstrap data) by reflection
    opens dev.darklaunch.sdk.internal.model to com.fasterxml.jackson.databind;
}
