package dev.darklaunch.server.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;

/**
 * A recorded change, as the audit API returns it. {@code seq} orders all events. {@code deploymentName}
 * is how people name its deployment: the service and version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(long seq, OffsetDateTime at, String actor, String action, String project, String environment,
                         String targetKind, String targetKey, JsonNode before, JsonNode after, String comment,
                         Long deploymentId, String deploymentName) {
}
