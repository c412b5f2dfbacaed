package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static dev.darklaunch.sdk.LiveFeedTest.FAST;
import static dev.darklaunch.sdk.LiveFeedTest.WAIT;
import static dev.darklaunch.sdk.LiveFeedTest.data;
import static dev.darklaunch.sdk.LiveFeedTest.flag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.darklaunch.sdk.micrometer.DarklaunchMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Micrometer binder, on a real client against a scripted feed, read through a SimpleMeterRegistry. */
class DarklaunchMetricsTest {

    private static final Context USER = Context.of("u-1");
    private final FeedServer server;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private DarklaunchClient client;

    DarklaunchMetricsTest() throws IOException {
        server = new FeedServer();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void evaluationsStatusDataAgeReconnectsAndEventsAreMeasured() throws Exception {
        client = DarklaunchClient.create(DarklaunchConfig.builder().sdkToken("sdk-secret").baseUri(server.uri())
                .timings(FAST).initTimeout(Duration.ZERO).build());
        new DarklaunchMetrics(client, Tags.of("environment", "production")).bindTo(registry);
        assertThat(gauge("darklaunch.sdk.status", "state", "initializing")).isEqualTo(1);
        assertThat(gauge("darklaunch.sdk.data.age", null, null)).isNaN();

        FeedServer.Stream stream = server.nextStream().event("snapshot", 1, data(1, flag("a", true)));
        await(WAIT, "ready", () -> client.isEnabled("a", USER));
        for (int i = 0; i < 9; i++) {
            client.boolVariation("a", USER, false);
        }
        client.stringVariation("a", USER, "wrong type: the default");
        client.track("", USER);

        assertThat(counter("served", "variation")).isEqualTo(10); // the isEnabled above, and nine more
        assertThat(counter("served", "default")).isEqualTo(1);
        assertThat(registry.get("darklaunch.sdk.events.ignored").functionCounter().count()).isEqualTo(1);
        assertThat(gauge("darklaunch.sdk.status", "state", "ready")).isEqualTo(1);
        assertThat(gauge("darklaunch.sdk.status", "state", "initializing")).isZero();
        assertThat(gauge("darklaunch.sdk.data.age", null, null)).isBetween(0.0, 10.0);
        assertThat(registry.get("darklaunch.sdk.status").tag("environment", "production").gauges()).hasSize(4);

        stream.close();
        server.nextStream();
        await(WAIT, "a reconnect counted", () -> registry.get("darklaunch.sdk.reconnects").functionCounter().count() >= 1);
    }

    private double counter(String tag, String value) {
        return registry.get("darklaunch.sdk.evaluations").tag(tag, value).functionCounter().count();
    }

    private double gauge(String name, String tag, String value) {
        var search = registry.get(name);
        return (tag == null ? search : search.tag(tag, value)).gauge().value();
    }
}
