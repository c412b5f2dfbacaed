package dev.darklaunch.server.projects;

import dev.darklaunch.server.store.Versioned;
import java.time.OffsetDateTime;
import java.util.List;

/** A project: a set of flags and segments shared by its environments, in their display order. */
public record Project(String key, String name, List<Environment> environments, long version, OffsetDateTime createdAt) implements Versioned {

    public Project {
        environments = List.copyOf(environments);
    }
}
