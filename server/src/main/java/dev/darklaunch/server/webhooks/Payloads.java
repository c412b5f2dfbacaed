package dev.darklaunch.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.audit.AuditEvent;
import dev.darklaunch.server.store.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bodies webhooks send: the audit event as JSON, or a Slack-compatible sentence. */
final class Payloads {

    /** Largest JSON body sent; past it, {@code before} and {@code after} are left out and {@code truncated} set. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private Payloads() {
    }

    static byte[] body(String format, long webhook, AuditEvent event) {
        if (format.equals("slack")) {
            return Json.write(Map.of("text", sentence(event))).getBytes(StandardCharsets.UTF_8);
        }
        byte[] full = Json.write(json(webhook, event, true)).getBytes(StandardCharsets.UTF_8);
        return full.length <= MAX_BODY_BYTES ? full : Json.write(json(webhook, event, false)).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> json(long webhook, AuditEvent event, boolean whole) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", Delivery.id(webhook, event.seq()));
        body.put("webhookId", webhook);
        body.put("sequence", event.seq());
        body.put("at", event.at().toInstant().toString());
        body.put("action", event.action());
        body.put("actor", event.actor());
        body.put("project", event.project());
        body.put("environment", event.environment());
        body.put("targetKind", event.targetKind());
        body.put("targetKey", event.targetKey());
        if (event.targetKind().equals("flag")) {
            body.put("flag", event.targetKey());
        }
        body.put("deploymentId", event.deploymentId());
        body.put("comment", event.comment());
        if (whole) {
            body.put("before", event.before());
            body.put("after", event.after());
        } else {
            body.put("truncated", true);
        }
        return body;
    }

    /** A sentence for people: "Turned off one-click-pay in production — 'error rate up' (by ada@example.com)". */
    static String sentence(AuditEvent event) {
        String key = event.targetKey();
        String in = event.environment() == null ? "" : " in " + event.environment();
        String what = switch (event.action()) {
            case "flag.on" -> "Turned on " + key + in;
            case "flag.off" -> "Turned off " + key + in;
            case "flag.create" -> "Created flag " + key;
            case "flag.update" -> "Changed flag " + key;
            case "flag.delete" -> "Deleted flag " + key;
            case "flag.config.update" -> "Changed how " + key + " serves" + in;
            case "flag.release" -> "Changed the release of " + key + in;
            case "flag.import" -> "Imported flag " + key;
            case "segment.create" -> "Created segment " + key;
            case "segment.update", "segment.config.update" -> "Changed segment " + key + in;
            case "segment.delete" -> "Deleted segment " + key;
            case "environment.create" -> "Added environment " + key;
            case "environment.update" -> "Changed environment " + key;
            case "deployment.create" -> "Deployed " + deployment(event) + in;
            case "deployment.status" -> "Deployment " + deployment(event) + in + " is now " + text(event.after(), "status");
            case "deployment.release" -> "Started releasing " + deployment(event) + in;
            case "deployment.release.step" -> "Took the next release step of " + deployment(event) + in;
            case "deployment.release.pause" -> "Paused the release of " + deployment(event) + in;
            case "deployment.release.resume" -> "Resumed the release of " + deployment(event) + in;
            case "deployment.rollback" -> "Rolled back " + deployment(event) + in;
            default -> event.action() + " on " + event.targetKind() + " " + key + in;
        };
        String why = event.comment() == null || event.comment().isBlank() ? "" : " — '" + event.comment() + "'";
        return what + why + " (by " + who(event.actor()) + ")";
    }

    private static String deployment(AuditEvent event) {
        String service = text(event.after(), "service");
        if (service == null) {
            service = text(event.before(), "service");
        }
        String version = text(event.after(), "version");
        if (version == null) {
            version = text(event.before(), "version");
        }
        return service == null ? "deployment " + event.targetKey()
                : service + (version == null ? "" : " " + version) + " (deployment " + event.targetKey() + ")";
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }

    private static String who(String actor) {
        if (actor.equals("policy:guard")) {
            return "a guard";
        }
        return actor.startsWith("user:") ? actor.substring("user:".length()) : actor;
    }
}
