/**
 * Flags: definitions, their configuration per environment, validation of a change against the whole
 * environment, and the reader of everything an SDK evaluates in an environment. {@code FlagsApi} is
 * HTTP only; {@code FlagWrites} owns the rules and the transactions (and offers deployments the
 * writes they make in their own); {@code FlagStore} (definitions) and {@code FlagConfigStore}
 * (configurations, {@code ConfigStatements}) are SQL only. Knows nothing of deployments or
 * segments: a person's change reports to {@link dev.darklaunch.server.flags.ManualChanges}, and a
 * new environment is seeded through {@code projects.EnvironmentSeeding}.
 */
package dev.darklaunch.server.flags;
