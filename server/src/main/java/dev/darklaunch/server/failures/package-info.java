/**
 * Transport-neutral failures (NotFound, Conflict, PreconditionFailed, Invalid with its field, …) that
 * stores, services and APIs fail with. Depends on nothing; only {@code http.Failures} gives them status codes.
 */
package dev.darklaunch.server.failures;
