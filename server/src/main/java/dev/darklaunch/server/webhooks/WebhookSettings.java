package dev.darklaunch.server.webhooks;

import dev.darklaunch.server.settings.EnvironmentValues;

import java.time.Duration;
import java.util.Map;

import static dev.darklaunch.server.settings.EnvironmentValues.positive;

/**
 * How webhooks are delivered.
 *
 * @param timeout          one delivery attempt (connect, send, answer) must end within this
 *                         ({@code DARKLAUNCH_WEBHOOK_TIMEOUT}, 10s)
 * @param firstRetry       the wait after the first failed attempt, doubled after each further one
 *                         ({@code DARKLAUNCH_WEBHOOK_FIRST_RETRY}, 1s)
 * @param maxRetry         the longest wait between attempts ({@code DARKLAUNCH_WEBHOOK_MAX_RETRY}, 5m)
 * @param poll             how often each instance looks for events to deliver
 *                         ({@code DARKLAUNCH_WEBHOOK_POLL}, 1s)
 * @param privateAddresses whether receivers may be on loopback, private, link-local or otherwise
 *                         internal addresses ({@code DARKLAUNCH_WEBHOOK_ALLOW_PRIVATE_ADDRESSES}, false).
 *                         Off, a webhook cannot be used to reach services behind the firewall;
 *                         on (development, tests), the server's own database port stays refused.
 */
public record WebhookSettings(Duration timeout, Duration firstRetry, Duration maxRetry, Duration poll,
                              boolean privateAddresses) {

    public static final WebhookSettings DEFAULTS = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofSeconds(1), false);

    public WebhookSettings {
        positive("DARKLAUNCH_WEBHOOK_TIMEOUT", timeout);
        positive("DARKLAUNCH_WEBHOOK_FIRST_RETRY", firstRetry);
        positive("DARKLAUNCH_WEBHOOK_MAX_RETRY", maxRetry);
        positive("DARKLAUNCH_WEBHOOK_POLL", poll);
        if (timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("DARKLAUNCH_WEBHOOK_TIMEOUT must be at most a minute, got " + timeout);
        }
        if (maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("DARKLAUNCH_WEBHOOK_MAX_RETRY (" + maxRetry
                    + ") must not be shorter than DARKLAUNCH_WEBHOOK_FIRST_RETRY (" + firstRetry + ")");
        }
    }

    public static WebhookSettings fromEnvironment(Map<String, String> env) {
        String allow = env.getOrDefault("DARKLAUNCH_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "false").trim();
        if (!allow.equals("true") && !allow.equals("false")) {
            throw new IllegalArgumentException("DARKLAUNCH_WEBHOOK_ALLOW_PRIVATE_ADDRESSES must be true or false, got '" + allow + "'");
        }
        return new WebhookSettings(
                EnvironmentValues.duration(env, "DARKLAUNCH_WEBHOOK_TIMEOUT", DEFAULTS.timeout()),
                EnvironmentValues.duration(env, "DARKLAUNCH_WEBHOOK_FIRST_RETRY", DEFAULTS.firstRetry()),
                EnvironmentValues.duration(env, "DARKLAUNCH_WEBHOOK_MAX_RETRY", DEFAULTS.maxRetry()),
                EnvironmentValues.duration(env, "DARKLAUNCH_WEBHOOK_POLL", DEFAULTS.poll()),
                Boolean.parseBoolean(allow));
    }

    /** With short waits between attempts (tests, local development). */
    public WebhookSettings withRetries(Duration first, Duration max) {
        return new WebhookSettings(timeout, first, max, poll, privateAddresses);
    }

    public WebhookSettings withPoll(Duration every) {
        return new WebhookSettings(timeout, firstRetry, maxRetry, every, privateAddresses);
    }

    public WebhookSettings withPrivateAddresses(boolean allowed) {
        return new WebhookSettings(timeout, firstRetry, maxRetry, poll, allowed);
    }

    /** How long an instance holds a webhook: longer than any attempt, so two never deliver it at once. */
    Duration lease() {
        return timeout.multipliedBy(3).plusSeconds(10);
    }

    Backoff backoff() {
        return new Backoff(firstRetry, maxRetry);
    }
}
