package dev.darklaunch.server.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A deployment as the API shows it: what was shipped where, its status, the flags it shipped
 * (with their state in its environment now) and its release.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployment(long id, String project, String environment, String service, String version, String commit,
                         String url, String status, String actor, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                         OffsetDateTime finishedAt, List<ShippedFlag> flags, Release release) {

    public static final String STARTED = "started";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled_back";

    public Deployment {
        flags = List.copyOf(flags);
    }

    /**
     * A flag the deployment shipped: whether the deployment created it, whether it still exists,
     * and whether and to what share of contexts it is on in the deployment's environment.
     */
    public record ShippedFlag(String key, boolean created, boolean exists, boolean on, double percentage) {
    }

    /**
     * The release plan and how far it got; {@code percentage} is the share of the last applied
     * step. A paused release says since when, by whom and why: a person paused it, or a change
     * made by hand to one of its flags did (automation never overrides a person).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Release(String state, String actor, double percentage, OffsetDateTime nextStepAt, OffsetDateTime pausedAt,
                          String pausedBy, String pauseReason, List<Step> steps) {
        public static final String RUNNING = "running";
        public static final String PAUSED = "paused";
        public static final String COMPLETED = "completed";
        public static final String CANCELLED = "cancelled";

        public Release {
            steps = List.copyOf(steps);
        }
    }

    /** One step of a plan: its share, when it was planned and when it was applied (null: not yet). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(double percentage, OffsetDateTime at, String after, OffsetDateTime dueAt, OffsetDateTime appliedAt) {
    }
}
