package dev.darklaunch.server.http;

import static dev.darklaunch.server.settings.EnvironmentValues.duration;
import static dev.darklaunch.server.settings.EnvironmentValues.integer;
import static dev.darklaunch.server.settings.EnvironmentValues.positive;


import java.time.Duration;
import java.util.Map;

/**
 * How long the HTTP server waits for clients, and how many connections one client may hold.
 *
 * @param headerTimeout            a new connection must have sent a complete request head (request
 *                                 line and headers) within this ({@code DARKLAUNCH_HTTP_HEADER_TIMEOUT}, 10s)
 * @param idleTimeout              a connection with no request in progress is closed after this, and
 *                                 so is one with no bytes either way ({@code DARKLAUNCH_HTTP_IDLE_TIMEOUT}, 120s)
 * @param maxConnectionsPerAddress connections one client address may hold open on one instance; more
 *                                 are closed at once; 0 for no limit
 *                                 ({@code DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS}, 1000)
 * @param clients                  whose {@code X-Forwarded-For} to believe ({@code DARKLAUNCH_TRUSTED_PROXIES}, none)
 */
public record HttpSettings(Duration headerTimeout, Duration idleTimeout, int maxConnectionsPerAddress,
                           ClientAddresses clients) {

    public static final HttpSettings DEFAULTS = new HttpSettings(Duration.ofSeconds(10), Duration.ofSeconds(120), 1000,
            ClientAddresses.DIRECT);

    public HttpSettings {
        positive("DARKLAUNCH_HTTP_HEADER_TIMEOUT", headerTimeout);
        positive("DARKLAUNCH_HTTP_IDLE_TIMEOUT", idleTimeout);
        if (idleTimeout.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("DARKLAUNCH_HTTP_IDLE_TIMEOUT must be at most a day, got " + idleTimeout);
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS must be 0 (no limit) or more, got "
                    + maxConnectionsPerAddress);
        }
        java.util.Objects.requireNonNull(clients, "clients");
    }

    public static HttpSettings fromEnvironment(Map<String, String> env) {
        return new HttpSettings(
                duration(env, "DARKLAUNCH_HTTP_HEADER_TIMEOUT", DEFAULTS.headerTimeout),
                duration(env, "DARKLAUNCH_HTTP_IDLE_TIMEOUT", DEFAULTS.idleTimeout),
                integer(env, "DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS", DEFAULTS.maxConnectionsPerAddress),
                ClientAddresses.trusting("DARKLAUNCH_TRUSTED_PROXIES", env.get("DARKLAUNCH_TRUSTED_PROXIES")));
    }

    public HttpSettings withHeaderTimeout(Duration value) {
        return new HttpSettings(value, idleTimeout, maxConnectionsPerAddress, clients);
    }

    public HttpSettings withIdleTimeout(Duration value) {
        return new HttpSettings(headerTimeout, value, maxConnectionsPerAddress, clients);
    }

    public HttpSettings withMaxConnectionsPerAddress(int value) {
        return new HttpSettings(headerTimeout, idleTimeout, value, clients);
    }

    public HttpSettings withClients(ClientAddresses value) {
        return new HttpSettings(headerTimeout, idleTimeout, maxConnectionsPerAddress, value);
    }

    @Override
    public String toString() {
        return "HttpSettings[headerTimeout=" + headerTimeout + ", idleTimeout=" + idleTimeout + ", maxConnectionsPerAddress="
                + (maxConnectionsPerAddress == 0 ? "unlimited" : maxConnectionsPerAddress) + ", trustedProxies=" + clients + "]";
    }
}
