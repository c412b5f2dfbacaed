package dev.darklaunch.server.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads the server's settings from environment variables, one way for every setting: the same
 * duration syntax, the same messages naming the variable. Each capability's settings record
 * ({@code FeedSettings}, {@code SessionSettings}, {@code HttpSettings}, …) reads through this.
 */
public final class EnvironmentValues {

    private EnvironmentValues() {
    }

    /** "500ms", "15s", "30m", "12h", "7d", ISO-8601 such as "PT12H", or a plain number of seconds. */
    public static Duration parseDuration(String name, String value) {
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
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 15s, 30m, 12h, 7d or PT12H, got '"
                    + value + "'");
        }
    }

    /** The variable as a duration, or {@code fallback} when it is unset or blank. */
    public static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : parseDuration(name, value);
    }

    /** The variable as a whole number, or {@code fallback} when it is unset or blank. */
    public static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    /** Refuses a zero, negative or missing duration, naming the variable. */
    public static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
