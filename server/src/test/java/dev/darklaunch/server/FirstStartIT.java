package dev.darklaunch.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer's first screen: the first start of the server on a fresh data directory (embedded
 * PostgreSQL, generated admin token and password), first requests over several connections and a
 * clean stop log no warning or error, since none of them would be the newcomer's to act on.
 */
class FirstStartIT {

    @TempDir
    Path dataDir;

    @Test
    void the_first_start_logs_no_warning_or_error() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            DarklaunchServer server = DarklaunchServer.start(new Config(0, Optional.empty(), dataDir, Optional.empty(),
                    Optional.empty())).await(2, TimeUnit.MINUTES);
            try {
                Http api = new Http("http://localhost:" + server.port(), server.generatedAdminToken().orElseThrow());
                assertThat(api.get("/api/v1/projects").status()).isEqualTo(200);
                assertThat(api.get("/health/ready").status()).isEqualTo(200);
                for (int connection = 0; connection < 3; connection++) {
                    assertThat(RawHttp.get(server.port(), "/health/live", null).status()).isEqualTo(200);
                }
            } finally {
                server.close().await(1, TimeUnit.MINUTES);
            }
        } finally {
            root.detachAppender(captured);
        }
        List<String> warnings = captured.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
                .toList();
        assertThat(warnings).as("warnings and errors logged by a first start").isEmpty();
    }
}
