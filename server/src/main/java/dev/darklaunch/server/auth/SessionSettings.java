package dev.darklaunch.server.auth;

import static dev.darklaunch.server.settings.EnvironmentValues.duration;
import static dev.darklaunch.server.settings.EnvironmentValues.positive;

import java.time.Duration;
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
}
