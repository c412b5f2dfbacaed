package dev.darklaunch.server.feed;

import java.util.Objects;

/** Names one environment of one project, as SDK tokens and the feed know it. */
public record EnvironmentKey(String project, String environment) {

    public EnvironmentKey {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(environment, "environment");
    }

    @Override
    public String toString() {
        return project + "/" + environment;
    }
}
