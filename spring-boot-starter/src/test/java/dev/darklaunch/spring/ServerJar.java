package dev.darklaunch.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The real Darklaunch server, as users run it: {@code java -jar server/target/darklaunch-server.jar}
 * on its embedded PostgreSQL (or, when {@code DARKLAUNCH_TEST_DATABASE_URL} names a PostgreSQL
 * server, on a new database created there, as the server's own tests do), in a JVM of its own (so Vert.x, Netty and the server's Jackson never
 * share a classpath with Spring's), on a free port, with a fresh data directory and a known admin
 * token. Its output goes to a log file that failures show.
 */
final class ServerJar implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String adminToken = "dl_admin_spring_starter_it_0123456789";
    private final int port = freePort();
    private final Path log;
    private final Process process;

    private ServerJar(Path jar, Path workDirectory) throws IOException {
        Path data = workDirectory.resolve("data");
        deleteRecursively(data);
        Files.createDirectories(workDirectory);
        log = workDirectory.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DARKLAUNCH_PORT", String.valueOf(port));
        builder.environment().put("DARKLAUNCH_DATA_DIR", data.toString());
        builder.environment().put("DARKLAUNCH_ADMIN_TOKEN", adminToken);
        builder.environment().put("DARKLAUNCH_ADMIN_PASSWORD", "spring-starter-it-password");
        builder.environment().remove("DARKLAUNCH_DATABASE_URL");
        String external = System.getenv("DARKLAUNCH_TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            builder.environment().put("DARKLAUNCH_DATABASE_URL", freshDatabase(external));
        }
        process = builder.start();
    }

    /** A new, empty database on the PostgreSQL server {@code url} names; its URL, in the form DARKLAUNCH_DATABASE_URL takes. */
    private static String freshDatabase(String url) {
        URI server = URI.create(url.replaceFirst("^jdbc:", "").replaceFirst("^postgres://", "postgresql://"));
        String[] credentials = server.getUserInfo() == null ? new String[]{"postgres", ""} : server.getUserInfo().split(":", 2);
        String user = credentials[0];
        String password = credentials.length > 1 ? credentials[1] : "";
        String host = server.getHost() + ":" + (server.getPort() < 0 ? 5432 : server.getPort());
        String name = "darklaunch_spring_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + server.getPath(), user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on " + host, e);
        }
        return "postgresql://" + user + ":" + password + "@" + host + "/" + name;
    }

    /** Starts the jar named by the system property {@code darklaunch.server.jar} and waits until it is ready. */
    static ServerJar start(Path workDirectory, Duration timeout) throws IOException {
        String jar = System.getProperty("darklaunch.server.jar", "../server/target/darklaunch-server.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no server jar at " + Path.of(jar).toAbsolutePath()
                    + ": run the test through Maven (mvn -pl spring-boot-starter -am verify …), which packages the server first");
        }
        ServerJar server = new ServerJar(Path.of(jar), workDirectory);
        server.awaitReady(timeout);
        return server;
    }

    String base() {
        return "http://localhost:" + port;
    }

    /** Sends an admin API request; returns the body of a 2xx answer, fails with the answer otherwise. */
    String admin(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server was not ready within " + timeout + ":\n" + logTail());
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll interval
        }
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, so the server stops its embedded PostgreSQL; SIGKILL if it has not ended in 60 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
