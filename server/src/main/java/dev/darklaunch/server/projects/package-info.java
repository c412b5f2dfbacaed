/**
 * Projects and their environments, and the lookup of a project's and environment's database ids
 * ({@link dev.darklaunch.server.projects.Scope}) every capability above uses. Sits below flags and segments: it must not call them;
 * what fills a new environment comes in as {@link dev.darklaunch.server.projects.EnvironmentSeeding}.
 */
package dev.darklaunch.server.projects;
