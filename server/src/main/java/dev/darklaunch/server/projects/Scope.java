package dev.darklaunch.server.projects;

/** Database ids of a project and, optionally, one of its environments, resolved from their keys. */
public record Scope(long projectId, String project, long environmentId, String environment) {

    public static Scope project(long projectId, String project) {
        return new Scope(projectId, project, 0, null);
    }
}
