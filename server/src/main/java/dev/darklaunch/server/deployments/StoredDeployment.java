package dev.darklaunch.server.deployments;

import dev.darklaunch.server.projects.Scope;

import java.time.OffsetDateTime;

/**
 * A deployment as its row holds it, with its project's and environment's keys and the
 * environment's failure policy ({@code rollbackOnFailure}: a failed deployment's flags go off).
 */
record StoredDeployment(long id, long projectId, long environmentId, String project, String environment,
                        boolean rollbackOnFailure, String service, String version, String commit, String url, String status,
                        String actor, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime finishedAt,
                        String releaseState, String releaseActor, OffsetDateTime pausedAt, String pausedBy,
                        String pausedReason) {

    /** "service version", as people name a deployment. */
    String title() {
        return service + " " + version;
    }

    /** The status as a sentence's predicate: "was rolled back", "failed", "succeeded", "is started". */
    String describeStatus() {
        return switch (status) {
            case Deployment.ROLLED_BACK -> "was rolled back";
            case Deployment.FAILED -> "failed";
            case Deployment.SUCCEEDED -> "succeeded";
            default -> "is " + status;
        };
    }

    Scope scope() {
        return new Scope(projectId, project, environmentId, environment);
    }

    StoredDeployment withRelease(String state, String actor) {
        return new StoredDeployment(id, projectId, environmentId, project, environment, rollbackOnFailure, service, version,
                commit, url, status, this.actor, createdAt, updatedAt, finishedAt, state, actor, pausedAt, pausedBy,
                pausedReason);
    }
}
