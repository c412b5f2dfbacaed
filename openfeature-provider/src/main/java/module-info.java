/**
 * The Darklaunch provider for OpenFeature's Java SDK. Only the provider's package is exported;
 * it reaches the SDK through its public API alone.
 */
module dev.darklaunch.openfeature {
    requires transitive dev.darklaunch.sdk;
    requires transitive dev.openfeature.sdk; // an automatic module: OpenFeature's jar names itself in its manifest
    requires com.fasterxml.jackson.databind;

    exports dev.darklaunch.openfeature;
}
