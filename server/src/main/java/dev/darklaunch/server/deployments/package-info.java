/**
 * Deployments a pipeline records, the flags they ship dark, and their release: plans, steps,
 * pause and resume, rollback, and the environment's timeline. The top of the write side: it may
 * use flags, projects and audit; nothing below calls it (flags reach it only through {@code flags.ManualChanges}).
 */
package dev.darklaunch.server.deployments;
