package dev.darklaunch.server.ui;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A web site of fixed files on its own port of 127.0.0.1: a web application's origin, apart from
 * the Darklaunch server's ({@code http://localhost:…}), so the browser treats every call to
 * Darklaunch as cross-origin and CORS decides.
 */
final class StaticSite implements AutoCloseable {

    /** A file the site serves: its content type and bytes. */
    record File(String contentType, Buffer body) {

        static File of(String contentType, Path path) {
            try {
                return new File(contentType, Buffer.buffer(Files.readAllBytes(path)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Vertx vertx;
    private final HttpServer server;

    private StaticSite(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Serves the files by path (e.g. {@code /} and {@code /app.js}); anything else is a 404. */
    static StaticSite serving(Map<String, File> files) {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> {
                        File file = files.get(request.path());
                        if (file == null) {
                            request.response().setStatusCode(404).end();
                            return;
                        }
                        request.response().putHeader("Content-Type", file.contentType()).putHeader("Cache-Control", "no-store")
                                .end(file.body());
                    })
                    .listen(0, "127.0.0.1")
                    .await(30, TimeUnit.SECONDS);
            return new StaticSite(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the static site did not start", e);
        }
    }

    /** The site's origin, as a browser sends it in {@code Origin}: {@code http://127.0.0.1:port}. */
    String origin() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
