package dev.darklaunch.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code java -jar darklaunch-server.jar}: configured by DARKLAUNCH_* environment variables. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("darklaunch: " + e.getMessage());
            System.exit(2);
            return;
        }
        log.atInfo().addKeyValue("config", config).log("starting");
        DarklaunchServer server;
        try {
            server = DarklaunchServer.start(config).await(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            log.error("Darklaunch could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            try {
                server.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("shutdown was not clean", e);
            }
            stopped.countDown();
        }, "darklaunch-shutdown"));
        System.out.println(banner(server));
        stopped.await();
    }

    /** Where to go and how to get in. Printed to the console, not the log, since it may hold a secret. */
    static String banner(DarklaunchServer server) {
        String base = "http://localhost:" + server.port();
        String token = server.generatedAdminToken()
                .map(secret -> secret + "\n      (shown only this once: store it now; to replace it, set DARKLAUNCH_ADMIN_TOKEN)")
                .orElse(server.adminTokenFromEnvironment() ? "the value of DARKLAUNCH_ADMIN_TOKEN"
                        : "the one printed at first start (or set DARKLAUNCH_ADMIN_TOKEN to add one)");
        String password = server.generatedAdminPassword()
                .map(secret -> secret + "\n      (shown only this once: store it now; to replace it, set DARKLAUNCH_ADMIN_PASSWORD)")
                .orElse(server.adminPasswordFromEnvironment() ? "the value of DARKLAUNCH_ADMIN_PASSWORD"
                        : "the one printed at first start (or set DARKLAUNCH_ADMIN_PASSWORD to replace it)");
        return """

                ──────────────────────────────────────────────────────────────────────
                  Darklaunch is running at %s
                  Database:        %s
                  Admin API token: %s
                  Admin UI user:   admin
                  Its password:    %s
                  Try:  curl -H "Authorization: Bearer <token>" %s/api/v1/projects
                  API:  %s/api/v1/openapi.yaml
                ──────────────────────────────────────────────────────────────────────
                """.formatted(base, server.databaseDescription(), token, password, base, base);
    }
}
