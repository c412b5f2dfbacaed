package dev.darklaunch.openfeature;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on an ephemeral port answering the SDK's flag polls, which holds every poll
 * until {@link #release} gives it the flag data: a Darklaunch server that has not answered yet.
 */
final class HeldFlagServer implements AutoCloseable {

    private final HttpServer server;
    private final CompletableFuture<String> data = new CompletableFuture<>();

    HeldFlagServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "held-flag-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/sdk/v1/flags", this::answer);
        server.start();
    }

    /** A polling client of this server that does not wait for it. */
    DarklaunchClient client() {
        return DarklaunchClient.create(DarklaunchConfig.builder()
                .baseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .sdkToken("test-token").streaming(false).initTimeout(Duration.ZERO).evaluationCounts(false).build());
    }

    /** Answers the held polls, and every later one, with this flag data (the SDK feed's snapshot JSON). */
    void release(String json) {
        data.complete(json);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = data.join().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        data.complete("{\"revision\": 0, \"flags\": []}");
        server.stop(0);
    }
}
