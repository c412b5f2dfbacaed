package dev.darklaunch.server.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A webhook as the API shows it: never its secret. {@code failures} counts the failed attempts at
 * the event it is stuck on (0 when it is keeping up), {@code nextAttemptAt} when it tries again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Webhook(long id, String project, String name, String url, List<String> events, String format,
                      boolean enabled, OffsetDateTime createdAt, String createdBy, OffsetDateTime updatedAt,
                      int failures, OffsetDateTime nextAttemptAt) {
}
