package dev.darklaunch.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Darklaunch server in a JVM of its own ({@code java … dev.darklaunch.server.Main}, from the
 * test classpath), configured like production through {@code DARKLAUNCH_*} variables, so a test
 * can kill it without a graceful stop ({@link #kill()} is SIGKILL) and start it again on the same
 * port, where its SDKs expect it. Its output goes to a log file for the test to show on failure.
 */
public final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private int starts;

    /**
     * @param environment {@code DARKLAUNCH_*} settings; the port is chosen here
     */
    public ServerProcess(String name, Map<String, String> environment, Path logDirectory) {
        this.name = name;
        this.port = freePort();
        this.environment = new HashMap<>(environment);
        this.environment.put("DARKLAUNCH_PORT", String.valueOf(port));
        this.log = logDirectory.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public String base() {
        return "http://localhost:" + port;
    }

    /** Starts the JVM; {@link #awaitReady} waits for it to serve. */
    public synchronized ServerProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                // small and quick to start: three of these share two cores with the test
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.darklaunch.server.Main"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        return this;
    }

    /** Waits until it answers {@code /health/ready}; fails, showing its log, if it died or took too long. */
    public void awaitReady(Duration timeout) {
        Await.value(timeout, Duration.ofMillis(100), () -> name + " not ready:\n" + logTail(), () -> {
            if (!isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            return ready() ? Boolean.TRUE : null;
        });
    }

    public boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, connections are cut as they are. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + " did not die");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines of its output. */
    public String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
