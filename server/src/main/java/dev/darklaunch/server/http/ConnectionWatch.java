package dev.darklaunch.server.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connections of one event loop, watched for clients that are too slow to be anything but
 * an attack (slowloris): a connection must deliver a complete request head (request line and
 * headers) within {@link HttpSettings#headerTimeout()} of opening, and, once a request is
 * answered, the next head within {@link HttpSettings#idleTimeout()}; otherwise it is closed. A
 * connection with a request in progress (a download, an SDK's event stream) is never closed by
 * this watch, since its client has asked for what it gets.
 *
 * <p>Written here because Vert.x has no request-head timeout: its idle timeout is reset by every
 * byte, so a client trickling one header byte now and then would hold a connection for ever.
 * One periodic sweep per event loop rather than a timer per connection: a response's end has no
 * listener of our own to restart a timer from (Vert.x Web takes the response's single end
 * handler), so the sweep looks at each connection's requests instead. Everything here runs on its
 * own event loop, so the map needs no locking.
 */
final class ConnectionWatch {

    /** A watched connection: its requests in progress, and since when it has been waiting for a head. */
    private static final class Watched {
        final String peer;
        final List<HttpServerRequest> inProgress = new ArrayList<>(1);
        long waitingSince;
        boolean servedOne;

        Watched(String peer, long now) {
            this.peer = peer;
            this.waitingSince = now;
        }
    }

    private final ClientConnections connections;
    private final long headerTimeout;
    private final long idleTimeout;
    private final Map<HttpConnection, Watched> watched = new HashMap<>();

    ConnectionWatch(ClientConnections connections) {
        this.connections = connections;
        this.headerTimeout = connections.settings().headerTimeout().toNanos();
        this.idleTimeout = connections.settings().idleTimeout().toNanos();
    }

    /** How often {@link #sweep} should run: a deadline is kept to within about a quarter of it (at most a second late). */
    long sweepIntervalMillis() {
        return Math.max(50, Math.min(1000, connections.settings().headerTimeout().toMillis() / 4));
    }

    /** A connection has opened (its request head not yet read): refused when its client has too many. */
    void opened(HttpConnection connection) {
        String peer = ClientAddresses.host(connection.remoteAddress());
        if (!connections.opened(peer)) {
            connection.close();
            return;
        }
        watched.put(connection, new Watched(peer, System.nanoTime()));
        connection.closeHandler(v -> {
            watched.remove(connection);
            connections.closed(peer);
        });
    }

    /** A request's head has arrived in full. */
    void started(HttpServerRequest request) {
        Watched connection = watched.get(request.connection());
        if (connection != null) {
            connection.inProgress.add(request);
            connection.servedOne = true;
        }
    }

    /** Closes the connections whose deadline for a request head has passed. */
    void sweep() {
        long now = System.nanoTime();
        List<HttpConnection> late = new ArrayList<>();
        int withoutHead = 0;
        for (Map.Entry<HttpConnection, Watched> entry : watched.entrySet()) {
            Watched connection = entry.getValue();
            if (!connection.inProgress.isEmpty()) {
                connection.inProgress.removeIf(request -> request.response().ended() || request.response().closed());
                if (!connection.inProgress.isEmpty()) {
                    continue;
                }
                connection.waitingSince = now; // answered: the wait for the next head starts
            }
            if (now - connection.waitingSince > (connection.servedOne ? idleTimeout : headerTimeout)) {
                late.add(entry.getKey());
                if (!connection.servedOne) {
                    withoutHead++;
                }
            }
        }
        late.forEach(HttpConnection::close);
        if (!late.isEmpty()) {
            connections.closedByWatch(withoutHead, late.size() - withoutHead);
        }
    }
}
