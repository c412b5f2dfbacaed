package dev.darklaunch.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.darklaunch.server.testing.Http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver: a real HTTP server on an ephemeral loopback port that answers 204 and keeps
 * every request it answered. {@link #stop} closes the port (senders get "connection refused"),
 * {@link #start} opens it again on the same port.
 */
final class Receiver implements AutoCloseable {

    /** One request the receiver accepted, with the raw body as sent. */
    record Received(String path, String deliveryId, String event, String signature, byte[] body) {
        JsonNode json() {
            try {
                return Http.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        boolean signedWith(String secret) {
            return signature != null && signature.equals(Signature.of(secret, body));
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final int port;
    private HttpServer server;
    private boolean running;

    Receiver() throws IOException {
        this(0);
    }

    private Receiver(int port) throws IOException {
        server = open(port);
        running = true;
        this.port = server.getAddress().getPort();
    }

    private HttpServer open(int at) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), at), 50);
        http.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                received.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("X-Darklaunch-Delivery"),
                        exchange.getRequestHeaders().getFirst("X-Darklaunch-Event"),
                        exchange.getRequestHeaders().getFirst("X-Darklaunch-Signature"), body));
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        http.start();
        return http;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    synchronized void stop() {
        if (running) {
            server.stop(0);
            running = false;
        }
    }

    synchronized void start() throws IOException {
        if (!running) {
            server = open(port);
            running = true;
        }
    }

    @Override
    public void close() {
        stop();
    }

    static String text(Received received) {
        return new String(received.body(), StandardCharsets.UTF_8);
    }
}
