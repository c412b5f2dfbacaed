package dev.darklaunch.server.flags;

import dev.darklaunch.server.store.Versioned;
import dev.darklaunch.sdk.internal.model.FlagConfig;

import java.time.OffsetDateTime;

/** A flag's configuration in one environment, with the version that If-Match refers to. */
public record ConfigView(String flag, String environment, long version, OffsetDateTime updatedAt, FlagConfig config) implements Versioned {
}
