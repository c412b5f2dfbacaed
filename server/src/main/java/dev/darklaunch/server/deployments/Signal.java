package dev.darklaunch.server.deployments;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.Times;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A signal from monitoring about a deployment: an alert, firing or resolved, as Prometheus
 * Alertmanager sends it (or a plain JSON form of the same). Its key — the alert's fingerprint
 * (Alertmanager's, else a hash of its labels), its status and when it started — makes a replay
 * recognisable, so a signal acts once however often it is delivered.
 */
record Signal(String status, String name, Map<String, String> labels, String fingerprint, OffsetDateTime startsAt) {

    static final String FIRING = "firing";
    static final String RESOLVED = "resolved";
    static final int MAX_LABELS = 100;
    static final int MAX_TEXT = 1_000;

    /** One alert as Alertmanager's webhook sends it ({@code alerts[]}), also the plain form. */
    record AlertBody(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
                     String endsAt, String generatorURL, String fingerprint) {
    }

    Signal {
        labels = Map.copyOf(labels);
    }

    /** The alert validated, or Invalid naming the field (prefixed with {@code field}). */
    static Signal of(String field, AlertBody alert) {
        if (alert == null) {
            throw Failure.invalid(field.isEmpty() ? null : field, "an alert is an object with a status and labels");
        }
        String prefix = field.isEmpty() ? "" : field + ".";
        String status = alert.status();
        if (!FIRING.equals(status) && !RESOLVED.equals(status)) {
            throw Failure.invalid(prefix + "status", "status must be firing or resolved");
        }
        Map<String, String> labels = alert.labels() == null ? Map.of() : alert.labels();
        if (labels.size() > MAX_LABELS) {
            throw Failure.invalid(prefix + "labels", "an alert has at most " + MAX_LABELS + " labels");
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getValue() == null || label.getKey().length() > MAX_TEXT || label.getValue().length() > MAX_TEXT) {
                throw Failure.invalid(prefix + "labels", "a label is text of at most " + MAX_TEXT + " characters");
            }
        }
        String name = labels.getOrDefault("alertname", "unnamed");
        if (alert.fingerprint() != null && (alert.fingerprint().isBlank() || alert.fingerprint().length() > 200)) {
            throw Failure.invalid(prefix + "fingerprint", "a fingerprint is 1 to 200 characters");
        }
        OffsetDateTime startsAt = alert.startsAt() == null ? null : Times.parse(prefix + "startsAt", alert.startsAt());
        String fingerprint = alert.fingerprint() != null ? alert.fingerprint() : hash(labels);
        return new Signal(status, name, labels, fingerprint, startsAt);
    }

    /** What makes a delivery of this signal the same as an earlier one. */
    String key() {
        return fingerprint + "|" + status + "|" + (startsAt == null ? "" : startsAt.toInstant().toString());
    }

    /** "alert HighErrorRate firing (service=checkout, severity=page)". */
    String describe() {
        StringBuilder text = new StringBuilder("alert " + name + " " + status);
        TreeMap<String, String> sorted = new TreeMap<>(labels);
        sorted.remove("alertname");
        if (!sorted.isEmpty()) {
            text.append(" (");
            sorted.forEach((key, value) -> text.append(text.charAt(text.length() - 1) == '(' ? "" : ", ").append(key).append('=').append(value));
            text.append(')');
        }
        return text.toString();
    }

    /** Alertmanager's fingerprint is a hash of the labels; without one, ours is too (sorted, so the order sent does not matter). */
    private static String hash(Map<String, String> labels) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(labels).forEach((key, value) -> digest.update((key + "\u0000" + value + "\u0000").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
