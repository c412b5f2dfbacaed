package dev.darklaunch.server.auth;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * How long admin UI sessions last.
 *
 * @param idle an unused session ends after this long ({@code DARKLAUNCH_SESSION_IDLE}, 12h); each
 *             request pushes the end back (the database is told at most about once a minute)
 * @param max  every session ends this long after sign-in, used or not ({@code DARKLAUNCH_SESSION_MAX}, 7d)
 */
public record SessionSettings(Duration idle, Duration max) {

    public static final SessionSettings DEFAULTS = new SessionSettings(Duration.ofHours(12), Duration.ofDays(7));

    public SessionSettings {
        positive("DARKLAUNCH_SESSION_IDLE", idle);
        positive("DARKLAUNCH_SESSION_MAX", max);
    }

    public static SessionSettings fromEnvironment(Map<String, String> env) {
        return new SessionSettings(duration(env, "DARKLAUNCH_SESSION_IDLE", DEFAULTS.idle),
                duration(env, "DARKLAUNCH_SESSION_MAX", DEFAULTS.max));
    }

    /**
     * How stale a session's "last seen" may get before a request records it again: a minute, or less
     * for short idle timeouts, so the idle timeout still slides with use.
     */
    public Duration touchInterval() {
        Duration tenth = idle.dividedBy(10);
        return tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
    }

    /** "500ms", "15s", "5m", "12h", "7d", an ISO-8601 duration such as "PT12H", or a plain number of seconds. */
    public static Duration parse(String name, String value) {
        String v = value.trim().toLowerCase();
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            char unit = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
            String number = v.substring(0, Math.max(0, v.length() - 1)).trim();
            return switch (unit) {
                case 's' -> Duration.ofSeconds(Long.parseLong(number));
                case 'm' -> Duration.ofMinutes(Long.parseLong(number));
                case 'h' -> Duration.ofHours(Long.parseLong(number));
                case 'd' -> Duration.ofDays(Long.parseLong(number));
                default -> Duration.ofSeconds(Long.parseLong(v));
            };
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 30m, 12h, 7d or PT12H, got '" + value + "'");
        }
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : parse(name, value);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
