package dev.darklaunch.server.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.darklaunch.server.guards.GuardSpec;
import dev.darklaunch.server.store.Versioned;

import java.util.List;

/**
 * An environment of a project (development, staging, production, …). {@code revision} counts the
 * changes its SDKs have seen; {@code production} marks environments where mistakes hurt;
 * {@code rollbackOnFailure} says whether a deployment reported failed here switches its flags off
 * by itself (by default on in production, off elsewhere); {@code defaultGuards} watch every
 * release here that names no guards of its own (shown only when there are some).
 */
public record Environment(String key, String name, int position, boolean production, boolean rollbackOnFailure,
                          long revision, long version,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GuardSpec.Definition> defaultGuards)
        implements Versioned {

    public Environment {
        defaultGuards = defaultGuards == null ? List.of() : List.copyOf(defaultGuards);
    }
}
