package dev.darklaunch.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of PostgreSQL that a test can make misbehave the way networks and
 * databases do: {@link #stall()} keeps every connection open (and accepts new ones) but stops
 * forwarding bytes, like a stopped process or a path that drops packets, until {@link #resume()};
 * {@link #refuse()} turns new connections away; {@link #cut()} resets every open connection, like
 * a database crash; {@link #loseCommitAnswer(String)} lets a transaction's COMMIT reach the database
 * and resets its connection before the answer comes back (the one moment a client cannot know
 * what happened).
 *
 * <p>Written for tests (blocking sockets, two threads per connection) because what it must do —
 * hold bytes without closing anything — is exactly what ready-made proxies avoid.
 */
public final class DatabaseProxy implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private volatile boolean refusing;
    private volatile boolean closed;
    private volatile byte[] commitMarker;
    private static final byte[] COMMIT = "COMMIT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One proxied connection: whether its answers are being dropped (a COMMIT went up, its answer must not come down). */
    private static final class Link {
        volatile boolean marked;
        volatile boolean dropAnswers;
    }

    /** A proxy to the database of this URL ({@code postgresql://user:secret@host:port/db}). */
    public DatabaseProxy(String databaseUrl) {
        URI uri = URI.create(databaseUrl);
        this.targetHost = uri.getHost();
        this.targetPort = uri.getPort();
        try {
            this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "db-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL to give the server instead of the database's own. */
    public static String url(String databaseUrl, DatabaseProxy proxy) {
        URI uri = URI.create(databaseUrl);
        return uri.getScheme() + "://" + uri.getRawUserInfo() + "@localhost:" + proxy.port() + uri.getRawPath();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding in both directions; connections stay open and new ones are accepted. */
    public void stall() {
        stalled = true;
    }

    /** Forwards again, what was held first. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            refusing = false;
            gate.notifyAll();
        }
    }

    /** Closes new connections at once. */
    public void refuse() {
        refusing = true;
    }

    /**
     * The next connection that sends this text (a value in a statement, say) and then a COMMIT has
     * the COMMIT forwarded to the database, and is reset as soon as the database answers, without
     * the answer. The text singles out one transaction among whatever else the server runs.
     */
    public void loseCommitAnswer(String marker) {
        commitMarker = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Resets every open connection (a crashed database); new ones are served as before. */
    public void cut() {
        for (Socket socket : open) {
            reset(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        resume();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (refusing) {
                reset(client);
                continue;
            }
            Thread connect = new Thread(() -> connect(client), "db-proxy-connect");
            connect.setDaemon(true);
            connect.start();
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
        } catch (IOException e) {
            reset(client);
            return;
        }
        open.add(client);
        open.add(server);
        Link link = new Link();
        pump(client, server, link, true);
        pump(server, client, link, false);
    }

    private void pump(Socket from, Socket to, Link link, boolean up) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    awaitForwarding();
                    byte[] marker = commitMarker;
                    if (up && marker != null && contains(buffer, n, marker)) {
                        link.marked = true;
                    }
                    if (up && link.marked && contains(buffer, n, COMMIT)) {
                        commitMarker = null;
                        link.dropAnswers = true; // before forwarding: the answer must not slip through
                    }
                    if (!up && link.dropAnswers) {
                        break; // the answer is dropped, and the connection reset below
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: so does the other
            } finally {
                reset(from);
                reset(to);
            }
        }, up ? "db-proxy-up" : "db-proxy-down");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitForwarding() {
        synchronized (gate) {
            while (stalled && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (buffer[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Closes with a reset, not an orderly goodbye: what a crash looks like from the other side. */
    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
