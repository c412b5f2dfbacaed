package dev.darklaunch.spring;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.Status;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The health of a {@link DarklaunchClient}'s flag data, from {@link DarklaunchClient#status()}:
 * UP when READY (current data from the server), OUT_OF_SERVICE while INITIALIZING or STALE (the
 * connection is being retried; the last good flags are still served), DOWN on ERROR (the token is
 * refused, or there are no flags at all). Details: {@code state}, {@code dataUpdatedAt},
 * {@code dataAge} and {@code lastError} (which never contains the token). Reads a volatile field:
 * no I/O, so health checks cost the Darklaunch server nothing.
 */
public final class DarklaunchHealthIndicator implements HealthIndicator {

    private final DarklaunchClient client;

    public DarklaunchHealthIndicator(DarklaunchClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Health health() {
        Status status = client.status();
        Health.Builder health = switch (status.state()) {
            case READY -> Health.up();
            case INITIALIZING, STALE -> Health.outOfService();
            case ERROR -> Health.down();
        };
        health.withDetail("state", status.state().name());
        if (status.dataUpdatedAt() != null) {
            health.withDetail("dataUpdatedAt", status.dataUpdatedAt().truncatedTo(ChronoUnit.MILLIS).toString());
            status.dataAge().map(age -> age.isNegative() ? Duration.ZERO : age)
                    .ifPresent(age -> health.withDetail("dataAge", age.truncatedTo(ChronoUnit.MILLIS).toString()));
        }
        if (status.lastError() != null) {
            health.withDetail("lastError", status.lastError());
        }
        return health.build();
    }
}
