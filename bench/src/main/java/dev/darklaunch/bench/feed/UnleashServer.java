package dev.darklaunch.bench.feed;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code unleash-server} from npm, started with {@code node} on 127.0.0.1 over a database of its
 * own, with the API tokens given, version check and telemetry off; stopped on close.
 */
final class UnleashServer implements AutoCloseable {

    static final String ADMIN_TOKEN = "*:*.bench-admin-token";

    private final Process process;
    private final String base;
    private final String version;

    private UnleashServer(Process process, String base, String version) {
        this.process = process;
        this.base = base;
        this.version = version;
    }

    /** Starts it and waits (at most 180 s) until {@code /health} answers; {@code tokens}: INIT_*_API_TOKENS variables. */
    static UnleashServer start(Path unleashDir, String databaseUrl, Path work, Map<String, String> tokens) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("node", "-e", "require('unleash-server').start()")
                .directory(unleashDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("unleash.log").toFile());
        Map<String, String> environment = new HashMap<>(Map.of(
                "DATABASE_URL", databaseUrl, "DATABASE_SSL", "false",
                "HTTP_HOST", "127.0.0.1", "HTTP_PORT", String.valueOf(port),
                "INIT_ADMIN_API_TOKENS", ADMIN_TOKEN,
                "CHECK_VERSION", "false", "SEND_TELEMETRY", "false", "LOG_LEVEL", "warn"));
        environment.putAll(tokens);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String base = "http://127.0.0.1:" + port;
        Rest anonymous = new Rest(base, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!healthy(anonymous)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("unleash-server did not start; see " + work.resolve("unleash.log"));
            }
            Thread.sleep(500);
        }
        String version = FeedLoad.json(Files.readString(unleashDir.resolve("node_modules/unleash-server/package.json")), "version");
        return new UnleashServer(process, base, version);
    }

    String base() {
        return base;
    }

    String version() {
        return version;
    }

    /** The admin API (Unleash takes the bare token). */
    Rest admin() {
        return new Rest(base, ADMIN_TOKEN);
    }

    static String nodeVersion() throws Exception {
        Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String version = new String(node.getInputStream().readAllBytes()).trim();
        node.waitFor(10, TimeUnit.SECONDS);
        return version;
    }

    static void ok(Rest.Response response, String what) {
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("unleash " + what + ": " + response.status() + " " + response.body());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static boolean healthy(Rest rest) {
        try {
            return rest.get("/health").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
