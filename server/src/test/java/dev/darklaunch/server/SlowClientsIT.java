package dev.darklaunch.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.darklaunch.server.feed.FeedSettings;
import dev.darklaunch.server.http.ClientConnections;
import dev.darklaunch.server.http.HttpSettings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.Slowloris;
import dev.darklaunch.server.testing.SseStream;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow or greedy clients cannot exhaust the server (RELIABILITY 22): a connection that has not
 * sent a complete request head by the deadline is closed, one client address holds at most so
 * many connections (beyond them it is refused at once, with a log line saying who and what
 * limit), and meanwhile health checks, SDK polls and SDK streams are served as usual. Thousands of
 * slow connections are played from several loopback addresses.
 */
@DarklaunchServerTest(config = "limits")
class SlowClientsIT {

    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(8);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    static final int PER_ADDRESS = 400;
    static final int ADDRESSES = 6;
    static final int ATTEMPTS_PER_ADDRESS = 500;

    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    @Given
    private static TestServer server;
    private static String sdkToken;

    static Config limits(Config config) {
        return config.withFeed(FeedSettings.DEFAULTS.withHeartbeat(Duration.ofSeconds(1)))
                .withHttp(HttpSettings.DEFAULTS.withHeaderTimeout(HEADER_TIMEOUT).withIdleTimeout(IDLE_TIMEOUT)
                        .withMaxConnectionsPerAddress(PER_ADDRESS));
    }

    @BeforeAll
    static void start() {
        logs.start();
        logger().addAppender(logs);
        sdkToken = server.token("sdk", "default", "production");
    }

    @AfterAll
    static void stop() {
        logger().detachAppender(logs);
    }

    @Test
    void thousands_of_slow_connections_are_capped_per_address_and_closed_at_the_deadline_while_others_are_served() {
        Http anonymous = new Http(server.base(), null);
        List<Long> quiet = latencies(anonymous, 50);
        try (SseStream stream = SseStream.open(server.base(), sdkToken, null);
             Slowloris slow = new Slowloris(server.port())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextEvent(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");
            long streamOpened = System.nanoTime();

            long opening = System.nanoTime();
            for (int a = 1; a <= ADDRESSES; a++) {
                slow.open("127.0.2." + a, ATTEMPTS_PER_ADDRESS);
            }
            long openedMillis = (System.nanoTime() - opening) / 1_000_000;

            // while they are held: health checks and an SDK poll are answered promptly
            List<Long> underLoad = latencies(anonymous, 200);
            long heldDuringMeasure = slow.open();
            Http.Response poll = anonymous.as(sdkToken).get("/sdk/v1/flags");
            assertThat(poll.status()).isEqualTo(200);
            System.out.printf("slow connections: %d attempted from %d addresses in %d ms, %d held while measuring; "
                            + "GET /health/ready: quiet median %d ms p99 %d ms; under load median %d ms p99 %d ms max %d ms; "
                            + "load average %.1f%n",
                    ADDRESSES * ATTEMPTS_PER_ADDRESS, ADDRESSES, openedMillis, heldDuringMeasure,
                    percentile(quiet, 50), percentile(quiet, 99), percentile(underLoad, 50), percentile(underLoad, 99),
                    percentile(underLoad, 100), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            assertThat(percentile(underLoad, 99)).as("p99 of /health/ready under load, ms").isLessThan(2_000L);

            // each address got its limit; the rest were refused at once, before any deadline
            Await.until(HEADER_TIMEOUT.plusSeconds(30), "every slow connection closed", () -> slow.open() == 0);
            Map<String, List<Slowloris.Connection>> byAddress = slow.connections().stream()
                    .collect(Collectors.groupingBy(c -> c.from));
            for (Map.Entry<String, List<Slowloris.Connection>> address : byAddress.entrySet()) {
                long refused = address.getValue().stream().filter(c -> c.closedAfterMillis() < HEADER_TIMEOUT.toMillis()).count();
                assertThat(refused).as("refused from " + address.getKey()).isEqualTo(ATTEMPTS_PER_ADDRESS - PER_ADDRESS);
            }
            // ...and the ones it was allowed were closed for want of a request head, trickling or silent
            List<Long> heldFor = slow.connections().stream().map(Slowloris.Connection::closedAfterMillis)
                    .filter(millis -> millis >= HEADER_TIMEOUT.toMillis()).sorted().toList();
            assertThat(heldFor).hasSize(ADDRESSES * PER_ADDRESS);
            List<Slowloris.Connection> held = slow.connections().stream()
                    .filter(c -> c.closedAfterMillis() >= HEADER_TIMEOUT.toMillis()).toList();
            assertThat(held).as("trickling ones").anyMatch(c -> c.trickles).as("silent ones").anyMatch(c -> !c.trickles);

            // the SDK stream, which had sent its request, is still served past both timeouts
            Await.past(java.time.Instant.now().plusNanos(Math.max(0,
                    IDLE_TIMEOUT.plusSeconds(1).toNanos() - (System.nanoTime() - streamOpened))));
            assertThat(stream.during(Duration.ofSeconds(2))).as("heartbeats").isNotEmpty();
            assertThat(stream.awaitEnd(Duration.ZERO)).isFalse();

            List<ILoggingEvent> refusals = List.copyOf(logs.list).stream()
                    .filter(e -> e.getFormattedMessage().startsWith("refused connections")).toList();
            assertThat(refusals).as("one line per address, not one per refusal").hasSize(ADDRESSES);
            Map<String, String> line = refusals.get(0).getKeyValuePairs().stream()
                    .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value)));
            assertThat(line.get("address")).startsWith("127.0.2.");
            assertThat(line).containsEntry("limit", String.valueOf(PER_ADDRESS));
            assertThat(refusals.get(0).getFormattedMessage()).contains("DARKLAUNCH_HTTP_MAX_CONNECTIONS_PER_ADDRESS");

            System.out.printf("allowed slow connections closed %d..%d ms after opening (header timeout %s)%n",
                    heldFor.get(0), heldFor.get(heldFor.size() - 1), HEADER_TIMEOUT);
        }
    }

    @Test
    void a_kept_alive_connection_that_trickles_its_next_request_is_closed_after_the_idle_timeout() throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.3.1", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = readResponseHead(in);
            assertThat(first).startsWith("HTTP/1.1 200");

            long answered = System.nanoTime();
            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            while (!closed && System.nanoTime() - answered < IDLE_TIMEOUT.plusSeconds(20).toNanos()) {
                try {
                    out.write('a');
                    out.flush();
                    closed = in.read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    // still open: trickle on
                } catch (IOException e) {
                    closed = true;
                }
            }
            long after = (System.nanoTime() - answered) / 1_000_000;
            assertThat(closed).as("closed within the idle timeout and a margin").isTrue();
            assertThat(after).as("not before the idle timeout, ms").isGreaterThanOrEqualTo(IDLE_TIMEOUT.toMillis() - 1_000);
        }
    }

    /** Reads one response's head and its Content-Length body. */
    private static String readResponseHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed before the answer's head ended: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(text.replaceFirst("(?is).*content-length:\\s*(\\d+).*", "$1"));
        in.readNBytes(length);
        return text;
    }

    private static List<Long> latencies(Http http, int count) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Http.Response response = http.get("/health/ready");
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertThat(response.status()).isEqualTo(200);
        }
        return millis;
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static Logger logger() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ClientConnections.class);
    }
}
