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
 * a database crash.
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
        pump(client, server, "db-proxy-up");
        pump(server, client, "db-proxy-down");
    }

    private void pump(Socket from, Socket to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    awaitForwarding();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: so does the other
            } finally {
                reset(from);
                reset(to);
            }
        }, name);
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
