package dev.darklaunch.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open connections per client address, over every event loop of the instance: a client at
 * {@link HttpSettings#maxConnectionsPerAddress()} gets no more, so one client cannot use up the
 * file descriptors every other client (and the health checks) need. Connections from trusted
 * proxies are not counted: a load balancer speaks for many clients, and limits them itself.
 *
 * <p>Refusals and connections closed by the {@link ConnectionWatch} are logged, at most one line
 * per address every {@link #LOG_INTERVAL} for refusals and one line per interval in all for
 * closings, each saying how many happened since the last line.
 */
public final class ClientConnections {

    private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    /** One address's open connections, and its refusals not yet logged. Guarded by the map's compute. */
    private static final class Count {
        int open;
        int refused;
        boolean logged;
        long loggedAt;
    }

    private final HttpSettings settings;
    private final ConcurrentHashMap<String, Count> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong closedWithoutHead = new AtomicLong();
    private final AtomicLong closedIdle = new AtomicLong();
    private final AtomicLong closingsLoggedAt = new AtomicLong(System.nanoTime() - LOG_INTERVAL.toNanos());

    public ClientConnections(HttpSettings settings) {
        this.settings = settings;
    }

    public HttpSettings settings() {
        return settings;
    }

    /** Counts a new connection from {@code peer}; false when its address has all it may have (close it then). */
    boolean opened(String peer) {
        int max = settings.maxConnectionsPerAddress();
        if (max == 0 || settings.clients().isTrustedProxy(peer)) {
            return true;
        }
        String address = ClientAddresses.group(peer);
        long now = System.nanoTime();
        boolean[] admitted = {false};
        int[] refusedToLog = {0};
        byAddress.compute(address, (key, current) -> {
            Count count = current == null ? new Count() : current;
            if (count.open < max) {
                count.open++;
                admitted[0] = true;
            } else {
                count.refused++;
                if (!count.logged || now - count.loggedAt >= LOG_INTERVAL.toNanos()) {
                    refusedToLog[0] = count.refused;
                    count.refused = 0;
                    count.logged = true;
                    count.loggedAt = now;
                }
            }
            return count;
        });
        if (refusedToLog[0] > 0) {
            log.atWarn().addKeyValue("address", address).addKeyValue("limit", max).addKeyValue("refused", refusedToLog[0])
                    .log("refused connections from a client address that already has as many open as "
                            + "DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS allows");
        }
        return admitted[0];
    }

    /** A counted connection has closed. */
    void closed(String peer) {
        if (settings.maxConnectionsPerAddress() == 0 || settings.clients().isTrustedProxy(peer)) {
            return;
        }
        byAddress.computeIfPresent(ClientAddresses.group(peer), (key, count) -> {
            count.open--;
            return count.open <= 0 ? null : count;
        });
    }

    /** The watch closed connections: {@code withoutHead} that never sent a complete request head, {@code idle} between requests. */
    void closedByWatch(int withoutHead, int idle) {
        long without = closedWithoutHead.addAndGet(withoutHead);
        long idleCount = closedIdle.addAndGet(idle);
        long now = System.nanoTime();
        long last = closingsLoggedAt.get();
        if (without + idleCount > 0 && now - last >= LOG_INTERVAL.toNanos() && closingsLoggedAt.compareAndSet(last, now)) {
            log.atInfo().addKeyValue("withoutRequestHead", closedWithoutHead.getAndSet(0))
                    .addKeyValue("headerTimeout", settings.headerTimeout())
                    .addKeyValue("idleBetweenRequests", closedIdle.getAndSet(0))
                    .addKeyValue("idleTimeout", settings.idleTimeout())
                    .log("closed slow connections: no complete request head within DARKLAUNCH_HTTP_HEADER_TIMEOUT, "
                            + "or no next request within DARKLAUNCH_HTTP_IDLE_TIMEOUT");
        }
    }
}
