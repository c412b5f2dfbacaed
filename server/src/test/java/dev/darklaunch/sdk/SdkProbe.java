package dev.darklaunch.sdk;

import dev.darklaunch.sdk.internal.evaluation.Snapshot;

/**
 * What the server's end-to-end tests read from a real SDK beyond its public API: the revision of
 * the data it serves. Lives in the SDK's package (in the server's test sources) because that is
 * deliberately not public API.
 */
public final class SdkProbe {

    private SdkProbe() {
    }

    /** The revision of the environment data the client evaluates from, or -1 when it has none. */
    public static long revision(DarklaunchClient client) {
        Snapshot snapshot = client.snapshot();
        return snapshot == null ? -1 : snapshot.data().revision();
    }
}
