package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Flag;

/** A flag's configuration in one environment, locked for a change within a transaction. */
public record LockedConfig(long flagId, Flag flag, ConfigView view) {
}
