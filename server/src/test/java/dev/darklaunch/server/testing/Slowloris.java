package dev.darklaunch.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slow clients for tests: connections that never finish a request head, either sending nothing
 * after connecting or trickling one header byte now and then. One thread keeps them going and
 * notes when the server closed each (end of stream or reset), relative to when it was opened.
 */
public final class Slowloris implements AutoCloseable {

    /** One slow connection; {@code closedAfterMillis} is -1 while the server keeps it open. */
    public static final class Connection {
        final SocketChannel channel;
        public final String from;
        public final boolean trickles;
        final long openedAt;
        volatile long closedAfterMillis = -1;

        Connection(SocketChannel channel, String from, boolean trickles, long openedAt) {
            this.channel = channel;
            this.from = from;
            this.trickles = trickles;
            this.openedAt = openedAt;
        }

        public boolean closed() {
            return closedAfterMillis >= 0;
        }

        public long closedAfterMillis() {
            return closedAfterMillis;
        }
    }

    private final int port;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Thread keeper;
    private volatile boolean running = true;

    public Slowloris(int port) {
        this.port = port;
        this.keeper = new Thread(this::keep, "slowloris");
        keeper.setDaemon(true);
        keeper.start();
    }

    /** Opens {@code count} connections from a loopback address; every other one trickles, the rest stay silent. */
    public void open(String from, int count) {
        for (int i = 0; i < count; i++) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.bind(new InetSocketAddress(from, 0));
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                channel.configureBlocking(false);
                boolean trickles = i % 2 == 0;
                Connection connection = new Connection(channel, from, trickles, System.nanoTime());
                if (trickles) {
                    write(connection, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
                }
                connections.add(connection);
            } catch (IOException e) {
                throw new AssertionError("could not open slow connection " + i + " from " + from, e);
            }
        }
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    public long open() {
        return connections.stream().filter(c -> !c.closed()).count();
    }

    /** Every 100 ms: notice closed connections; every 500 ms: one more header byte on each trickling one. */
    private void keep() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long lastTrickle = System.nanoTime();
        while (running) {
            boolean trickle = System.nanoTime() - lastTrickle > 500_000_000L;
            if (trickle) {
                lastTrickle = System.nanoTime();
            }
            for (Connection connection : connections) {
                if (connection.closed()) {
                    continue;
                }
                try {
                    sink.clear();
                    if (connection.channel.read(sink) < 0) {
                        closed(connection);
                    } else if (trickle && connection.trickles) {
                        write(connection, "a");
                    }
                } catch (IOException e) {
                    closed(connection);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void closed(Connection connection) {
        connection.closedAfterMillis = (System.nanoTime() - connection.openedAt) / 1_000_000;
        try {
            connection.channel.close();
        } catch (IOException ignored) {
            // it is closed either way
        }
    }

    private static void write(Connection connection, String text) throws IOException {
        connection.channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void close() {
        running = false;
        keeper.interrupt();
        for (Connection connection : connections) {
            try {
                connection.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
