package dev.darklaunch.server.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.guards.GuardSpec;

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
     * step. A paused release says since when, by whom and why: a person paused it, a change made
     * by hand to one of its flags did (automation never overrides a person), or a guard did. Its
     * guards, with what each found at its last look; {@code waiting} says why a step that is due
     * waits for them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Release(String state, String actor, double percentage, OffsetDateTime nextStepAt, OffsetDateTime pausedAt,
                          String pausedBy, String pauseReason, List<Step> steps, List<Guard> guards, String waiting) {
        public static final String RUNNING = "running";
        public static final String PAUSED = "paused";
        public static final String COMPLETED = "completed";
        public static final String CANCELLED = "cancelled";

        public Release {
            steps = List.copyOf(steps);
            guards = guards == null || guards.isEmpty() ? null : List.copyOf(guards);
        }
    }

    /**
     * A guard of a release: its definition (defaults filled in), the plan step it belongs to (1 is
     * the first; absent: the whole release), since when it counts samples (absent: its step is not
     * applied yet), and its state at its last look (verdict, samples and value per arm, the
     * estimated worsening with its always-valid interval, the tolerance, the statistic, α, a sentence).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Guard(String name, GuardSpec.MetricDefinition metric, String bad, GuardSpec.ToleranceDefinition tolerance,
                        Long minSample, String action, Double alpha, Integer step, OffsetDateTime since, JsonNode state,
                        OffsetDateTime checkedAt) {
    }

    /** One step of a plan: its share, when it was planned and when it was applied (null: not yet). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(double percentage, OffsetDateTime at, String after, OffsetDateTime dueAt, OffsetDateTime appliedAt) {
    }
}
