package dev.darklaunch.server.projects;

import dev.darklaunch.server.store.Versioned;

/**
 * An environment of a project (development, staging, production, …). {@code revision} counts the
 * changes its SDKs have seen; {@code production} marks environments where mistakes hurt;
 * {@code rollbackOnFailure} says whether a deployment reported failed here switches its flags off
 * by itself (by default on in production, off elsewhere).
 */
public record Environment(String key, String name, int position, boolean production, boolean rollbackOnFailure,
                          long revision, long version) implements Versioned {
}
