package dev.darklaunch.server.deployments;

import java.time.OffsetDateTime;

/** Filters of the deployment list; each is optional (null): since inclusive, until exclusive. */
public record DeploymentFilter(String service, String environment, String status, OffsetDateTime since, OffsetDateTime until) {
}
