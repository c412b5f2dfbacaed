/**
 * Flags: definitions, their configuration per environment, validation of a change against the whole
 * environment, and the reader of everything an SDK evaluates in an environment. Knows nothing of
 * deployments or segments: a person's change reports to {@link dev.darklaunch.server.flags.ManualChanges},
 * and a new environment is seeded through {@code projects.EnvironmentSeeding}.
 */
package dev.darklaunch.server.flags;
