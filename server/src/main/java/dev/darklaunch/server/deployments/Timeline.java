package dev.darklaunch.server.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.audit.AuditEvent;
import dev.darklaunch.server.audit.AuditStore;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.store.Paging;
import io.vertx.core.Future;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deployments and flag changes of one environment in one feed, newest first, each with a sentence
 * a person can scan — "checkout 1.4.2 deployed", "new-checkout released to 10 %", "checkout 1.4.2
 * rolled back". Read from the audit log, with the deployments' titles.
 */
public final class Timeline {

    /** One moment of the timeline. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long seq, OffsetDateTime at, String kind, String action, String actor, String summary,
                        String flag, Long deployment, String comment) {
    }

    /** One page of the timeline; {@code next} is the cursor of the next page, or null. */
    public record Page(List<Entry> items, String next) {
    }

    private final ProjectStore projects;
    private final AuditStore audit;
    private final DeploymentRecords deployments;

    public Timeline(ProjectStore projects, AuditStore audit, DeploymentRecords deployments) {
        this.projects = projects;
        this.audit = audit;
        this.deployments = deployments;
    }

    /** The environment's timeline between {@code since} and {@code until} (each optional); NotFound for an unknown environment. */
    public Future<Page> of(String project, String environment, OffsetDateTime since, OffsetDateTime until, Paging paging) {
        return projects.scope(project, environment)
                .compose(scope -> audit.timeline(project, environment, since, until, paging))
                .compose(page -> deployments.titles(page.items().stream().map(AuditEvent::deploymentId)
                                .filter(Objects::nonNull).distinct().toList())
                        .map(titles -> new Page(page.items().stream().map(event -> entry(event, titles)).toList(), page.next())));
    }

    static Entry entry(AuditEvent event, Map<Long, String> titles) {
        String title = event.deploymentId() == null ? null : titles.get(event.deploymentId());
        boolean isFlag = "flag".equals(event.targetKind());
        String kind = event.action().startsWith("deployment.") ? "deployment" : event.targetKind();
        return new Entry(event.seq(), event.at(), kind, event.action(), event.actor(), summary(event, title),
                isFlag ? event.targetKey() : null, event.deploymentId(), event.comment());
    }

    static String summary(AuditEvent event, String deployment) {
        String title = deployment == null ? "deployment " + event.targetKey() : deployment;
        String target = event.targetKey();
        return switch (event.action()) {
            case "deployment.create" -> title + " deployed to " + event.environment() + shipped(event.after());
            case "deployment.status" -> title + " " + text(event.after(), "status").replace('_', ' ');
            case "deployment.release" -> "release of " + title + (continued(event.before()) ? " continued: " : " started: ")
                    + plan(event.after());
            case "deployment.release.step" -> title + " released to " + number(event.after(), "percentage") + " %";
            case "deployment.release.pause" -> "release of " + title + " paused";
            case "deployment.release.resume" -> "release of " + title + " resumed";
            case "deployment.rollback" -> title + " rolled back";
            case "deployment.signal" -> title + ": " + event.comment();
            case "deployment.guard.regression" -> title + ": " + event.comment() + " — "
                    + ("rollback".equals(text(event.after(), "action")) ? "rolling back" : "pausing the release");
            case "flag.create" -> target + " created" + (deployment == null ? "" : " (shipped dark by " + deployment + ")");
            case "flag.on" -> target + " switched on";
            case "flag.off" -> target + " switched off" + (deployment == null ? "" : " (" + deployment + ")");
            case "flag.release" -> target + " released" + (event.comment() == null ? "" : " — " + event.comment());
            case "flag.config.update" -> target + " configuration changed";
            case "flag.update" -> target + " definition changed";
            case "flag.delete" -> target + " deleted";
            default -> event.action() + " " + target;
        };
    }

    private static String shipped(JsonNode after) {
        if (after == null || !after.path("flags").isArray() || after.path("flags").isEmpty()) {
            return "";
        }
        List<String> keys = new ArrayList<>();
        after.path("flags").forEach(flag -> keys.add(flag.path("key").asText()));
        return ", shipping " + String.join(", ", keys) + " dark";
    }

    /** Whether a release event continued a completed release (its "before" says so) rather than starting one. */
    private static boolean continued(JsonNode before) {
        return before != null && "completed".equals(before.path("release").asText());
    }

    private static String plan(JsonNode after) {
        List<String> steps = new ArrayList<>();
        if (after != null) {
            after.path("steps").forEach(step -> steps.add(number(step, "percentage") + " %"));
        }
        return String.join(" → ", steps);
    }

    private static String text(JsonNode node, String field) {
        return node == null ? "" : node.path(field).asText();
    }

    private static String number(JsonNode node, String field) {
        return node == null ? "" : ReleasePlan.format((int) Math.round(node.path(field).asDouble() * 1000));
    }
}
