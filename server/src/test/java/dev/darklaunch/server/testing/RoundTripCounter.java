package dev.darklaunch.server.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of PostgreSQL that reads what the server sends (the frontend messages of
 * the wire protocol) and counts its round trips: each simple query ({@code Q}) and each
 * {@code Sync} ({@code S}) of the extended protocol waits for the database's answer before the
 * next one of a transaction goes out; and its statements: each simple query and each
 * {@code Execute} ({@code E}). A statement a connection has not prepared before costs one more
 * round trip (prepare, then execute). It keeps, per transaction ({@code BEGIN} … {@code COMMIT}
 * or {@code ROLLBACK}), the round trips it took, so a test can ask how many one write needed.
 *
 * <p>Why a proxy rather than {@code pg_stat_statements}: the embedded PostgreSQL of the tests
 * ships without that extension, and the proxy also sees {@code BEGIN} and {@code COMMIT}.
 */
public final class RoundTripCounter implements AutoCloseable {

    /**
     * One transaction as the wire saw it: its round trips (the statement each one ran, or
     * prepared), how many statements it executed, and the text of its messages (to find a marker).
     */
    public record Transaction(List<String> roundTrips, int statements, String text) {
        public int count() {
            return roundTrips.size();
        }
    }

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Transaction> transactions = new ArrayList<>();
    private volatile boolean closed;

    /** A counting proxy to the database of this URL ({@code postgresql://user:secret@host:port/db}). */
    public RoundTripCounter(String databaseUrl) {
        URI uri = URI.create(databaseUrl);
        this.targetHost = uri.getHost();
        this.targetPort = uri.getPort();
        try {
            this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "round-trip-counter-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL to give the server instead of the database's own. */
    public String url(String databaseUrl) {
        URI uri = URI.create(databaseUrl);
        return uri.getScheme() + "://" + uri.getRawUserInfo() + "@localhost:" + listener.getLocalPort() + uri.getRawPath();
    }

    /** The finished transactions whose messages contained {@code marker} (a comment given with a write, say). */
    public List<Transaction> transactionsWith(String marker) {
        synchronized (transactions) {
            return transactions.stream().filter(t -> t.text().contains(marker)).toList();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(RoundTripCounter::closeQuietly);
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
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            open.add(server);
            start(() -> readFrontend(client, server), "round-trip-counter-up");
            start(() -> copy(server, client), "round-trip-counter-down");
        }
    }

    /** Forwards the server's messages one by one, noting each round trip. */
    private void readFrontend(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
            boolean started = false;
            List<String> current = null; // round trips of the open transaction
            StringBuilder text = new StringBuilder();
            String lastParsed = "";
            int statements = 0;
            while (true) {
                byte type;
                byte[] body;
                if (!started) { // startup, SSL or GSS request: a length, then the body, no type byte
                    int length = in.readInt();
                    body = in.readNBytes(length - 4);
                    writeUntyped(out, length, body);
                    int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
                    started = code != SSL_REQUEST && code != GSS_REQUEST;
                    continue;
                }
                type = in.readByte();
                int length = in.readInt();
                body = in.readNBytes(length - 4);
                out.write(type);
                out.write(new byte[]{(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                out.write(body);
                String content = new String(body, StandardCharsets.UTF_8);
                if (type == 'P') {
                    String query = content.substring(content.indexOf('\0') + 1); // after the statement's name
                    lastParsed = query.substring(0, Math.max(0, query.indexOf('\0')));
                }
                if (current != null) {
                    text.append(content).append('\n');
                }
                if (type == 'E' && current != null) {
                    statements++;
                }
                if (type != 'Q' && type != 'S') {
                    continue;
                }
                // one round trip: the text of its statement, when the wire shows it
                String sql = type == 'Q' ? content.replace("\0", "").trim() : lastParsed.isEmpty() ? "(prepared statement)" : lastParsed.trim();
                lastParsed = "";
                String upper = sql.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("BEGIN") || upper.startsWith("START TRANSACTION")) {
                    current = new ArrayList<>();
                    text.setLength(0);
                    statements = 0;
                }
                if (current != null) {
                    current.add(sql);
                    if (type == 'Q') {
                        statements++;
                    }
                    if (upper.startsWith("COMMIT") || upper.startsWith("ROLLBACK")) {
                        synchronized (transactions) {
                            transactions.add(new Transaction(List.copyOf(current), statements, text.toString()));
                        }
                        current = null;
                    }
                }
            }
        } catch (EOFException e) {
            // the server closed the connection
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void writeUntyped(OutputStream out, int length, byte[] body) throws IOException {
        out.write(new byte[]{(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        out.write(body);
        out.flush();
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void start(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
