package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.FlagConfig;

/** One configuration to write over a locked one, and the audit action that names the change. */
public record ConfigWrite(LockedConfig current, FlagConfig config, String action) {
}
