package dev.darklaunch.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP server on an ephemeral port that speaks the SDK feed as a test scripts it: each
 * stream connection is handed to the test ({@link #nextStream()}) to write events into; status
 * codes per attempt, or a canned answer for every attempt; {@code /sdk/v1/flags} and
 * {@code /sdk/v1/metrics} recorded. Plain http, or https with a given certificate.
 */
final class FeedServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(long nanoTime, String path, String lastEventId, String ifNoneMatch, String authorization, String body,
                   String protocol, String upgrade) {
    }

    /** An answer to a metrics post. */
    record Answer(int status, String body) {
    }

    /** A whole answer to a stream request: 200, this content type and body, then the end. */
    record Canned(String contentType, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
    private final List<Stream> allStreams = new CopyOnWriteArrayList<>();
    final List<Request> streamRequests = new CopyOnWriteArrayList<>();
    final List<Request> flagRequests = new CopyOnWriteArrayList<>();
    final List<Request> metricsRequests = new CopyOnWriteArrayList<>();
    /** The metrics posts answered 2xx (what a server would have stored). */
    final List<Request> acceptedMetrics = new CopyOnWriteArrayList<>();
    /** How to answer a metrics post, by its body; 202 by default. */
    volatile java.util.function.Function<String, Answer> metricsAnswer = body -> new Answer(202, "");
    private final AtomicInteger streamAttempts = new AtomicInteger();
    /** The status to answer the n-th (0-based) stream request with; 200 opens a stream. */
    volatile IntUnaryOperator streamStatus = attempt -> 200;
    /** When set, what every 200 stream request gets instead of a stream handed to the test. */
    volatile Canned cannedStream;
    /** What {@code /sdk/v1/flags} answers: status, body, ETag. */
    volatile String flagsBody;
    volatile String flagsEtag;
    volatile String flagsContentType = "application/json";
    private final String scheme;

    FeedServer() throws IOException {
        this(null);
    }

    /** Over https with {@code tls} (its certificate names 127.0.0.1), or plain http when null. */
    FeedServer(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
            scheme = "https";
        }
        server.setExecutor(executor);
        server.createContext("/sdk/v1/stream", this::stream);
        server.createContext("/sdk/v1/flags", this::flags);
        server.createContext("/sdk/v1/metrics", this::metrics);
        server.start();
    }

    URI uri() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next stream a client opened, waiting up to 10 s. */
    Stream nextStream() throws InterruptedException {
        Stream stream = streams.poll(10, TimeUnit.SECONDS);
        if (stream == null) {
            throw new AssertionError("no stream was opened within 10 s");
        }
        return stream;
    }

    private void stream(HttpExchange exchange) throws IOException {
        streamRequests.add(request(exchange, ""));
        int status = streamStatus.applyAsInt(streamAttempts.getAndIncrement());
        if (status != 200) {
            respond(exchange, status, "{\"error\":\"scripted\",\"message\":\"scripted " + status + "\"}");
            return;
        }
        Canned canned = cannedStream;
        if (canned != null) {
            byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", canned.contentType());
            exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } finally {
                exchange.close();
            }
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        Stream stream = new Stream(exchange);
        allStreams.add(stream);
        streams.add(stream);
        try {
            stream.closed.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void flags(HttpExchange exchange) throws IOException {
        Request request = request(exchange, "");
        flagRequests.add(request);
        String etag = flagsEtag;
        if (etag != null && etag.equals(request.ifNoneMatch())) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        if (etag != null) {
            exchange.getResponseHeaders().set("ETag", etag);
        }
        String body = flagsBody;
        respond(exchange, body == null ? 503 : 200, body == null ? "{}" : body, flagsContentType);
    }

    private void metrics(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = request(exchange, body);
        metricsRequests.add(request);
        Answer answer = metricsAnswer.apply(body);
        if (answer.status() / 100 == 2) {
            acceptedMetrics.add(request);
        }
        respond(exchange, answer.status(), answer.body());
    }

    private static Request request(HttpExchange exchange, String body) {
        var headers = exchange.getRequestHeaders();
        return new Request(System.nanoTime(), exchange.getRequestURI().getPath(), headers.getFirst("Last-Event-ID"),
                headers.getFirst("If-None-Match"), headers.getFirst("Authorization"), body, exchange.getProtocol(),
                headers.getFirst("Upgrade"));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, body, "application/json");
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        allStreams.forEach(Stream::close);
        server.stop(0);
        executor.shutdownNow();
    }

    /** One open stream: the test writes to it. Writes to a stream the client dropped are ignored. */
    static final class Stream {
        private final HttpExchange exchange;
        private final CountDownLatch closed = new CountDownLatch(1);

        Stream(HttpExchange exchange) {
            this.exchange = exchange;
        }

        Stream event(String name, long id, String data) {
            return raw("event: " + name + "\nid: " + id + "\ndata: " + data + "\n\n");
        }

        Stream heartbeat() {
            return raw(": heartbeat\n\n");
        }

        synchronized Stream raw(String text) {
            try {
                OutputStream out = exchange.getResponseBody();
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the client went away
            }
            return this;
        }

        /** The server ends the stream. */
        void close() {
            closed.countDown();
        }
    }

    /** Waits (polling) until {@code condition} holds, up to {@code timeout}; fails otherwise. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(5); // polling interval of the condition wait, not synchronisation by time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
