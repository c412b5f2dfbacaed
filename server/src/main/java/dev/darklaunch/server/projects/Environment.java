package dev.darklaunch.server.projects;

import dev.darklaunch.server.http.Versioned;

/**
 * An environment of a project (development, staging, production, …). {@code revision} counts the
 * changes its SDKs have seen; {@code production} marks environments where mistakes hurt.
 */
public record Environment(String key, String name, int position, boolean production, long revision, long version) implements Versioned {
}
