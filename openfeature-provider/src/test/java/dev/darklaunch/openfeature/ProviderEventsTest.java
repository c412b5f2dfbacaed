package dev.darklaunch.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.TestFlags;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.exceptions.OpenFeatureError;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requirements (provider events and states, OpenFeature spec 5.x and 1.7): the SDK emits READY
 * when initialize returns and the provider never adds a second one; the client's status changes
 * become STALE, ERROR and READY events, flag changes CONFIGURATION_CHANGED with the changed keys;
 * a client without data keeps the provider NOT_READY until data arrives (or the ready timeout
 * ends in ERROR, followed by READY when data arrives); an offline client without data is FATAL.
 */
class ProviderEventsTest {

    private static final String DATA = """
            {"revision": 1, "flags": [{"flag": {"key": "checkout", "name": "Checkout", "kind": "boolean",
              "variations": [{"value": true}, {"value": false}]},
              "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 0}}}]}""";

    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private final String domain = "events-" + UUID.randomUUID();
    private final Client client = api.getClient(domain);
    private final List<ProviderEvent> events = new CopyOnWriteArrayList<>();
    private final List<EventDetails> changes = new CopyOnWriteArrayList<>();
    private DarklaunchProvider provider;

    ProviderEventsTest() {
        client.onProviderReady(details -> events.add(ProviderEvent.PROVIDER_READY));
        client.onProviderStale(details -> events.add(ProviderEvent.PROVIDER_STALE));
        client.onProviderError(details -> events.add(ProviderEvent.PROVIDER_ERROR));
        client.onProviderConfigurationChanged(details -> {
            changes.add(details);
            events.add(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED);
        });
    }

    @AfterEach
    void shutDown() {
        if (provider != null) {
            provider.shutdown();
        }
    }

    private long count(ProviderEvent event) {
        return events.stream().filter(event::equals).count();
    }

    @Test
    void statusChangesBecomeEventsAndReadyIsNeverDoubled() {
        TestFlags flags = TestFlags.create();
        flags.booleanFlag("checkout").on();
        try (DarklaunchClient darklaunch = flags.client()) {
            provider = new DarklaunchProvider(darklaunch);
            api.setProviderAndWait(domain, provider);
            Await.until("READY from the SDK", () -> count(ProviderEvent.PROVIDER_READY) == 1);
            assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);

            flags.disconnect("network down");
            Await.until("STALE", () -> client.getProviderState() == ProviderState.STALE && count(ProviderEvent.PROVIDER_STALE) == 1);
            assertThat(client.getBooleanValue("checkout", false, new ImmutableContext("u"))).as("still served").isTrue();

            flags.refuseToken();
            Await.until("ERROR", () -> client.getProviderState() == ProviderState.ERROR && count(ProviderEvent.PROVIDER_ERROR) == 1);

            flags.reconnect();
            Await.until("READY again", () -> client.getProviderState() == ProviderState.READY && count(ProviderEvent.PROVIDER_READY) == 2);

            flags.booleanFlag("checkout").off();
            flags.booleanFlag("banner").on();
            Await.until("both changes", () -> changes.stream().flatMap(c -> c.getFlagsChanged().stream()).toList()
                    .containsAll(List.of("checkout", "banner")));
            assertThat(client.getBooleanValue("checkout", true, new ImmutableContext("u"))).isFalse();
            assertThat(count(ProviderEvent.PROVIDER_READY)).as("one READY per recovery, none for data while READY").isEqualTo(2);
        }
    }

    /** Set in the background, the SDK sets its READY on its own thread after initialize returns: a race, hence repeated. */
    @ParameterizedTest(name = "{0} #{index}")
    @ValueSource(strings = {"setProviderAndWait", "setProvider", "setProvider", "setProvider", "setProvider", "setProvider",
            "setProvider", "setProvider", "setProvider", "setProvider", "setProvider"})
    void aClientAlreadyStaleAtTheStartMakesTheProviderReadyThenStale(String howSet) {
        TestFlags flags = TestFlags.create();
        flags.booleanFlag("checkout").on();
        try (DarklaunchClient darklaunch = flags.client()) {
            flags.disconnect("network down"); // flags to serve, but no connection to keep them current
            provider = new DarklaunchProvider(darklaunch);
            if (howSet.equals("setProvider")) {
                api.setProvider(domain, provider);
            } else {
                api.setProviderAndWait(domain, provider);
            }
            Await.until("STALE after READY", () -> client.getProviderState() == ProviderState.STALE
                    && events.equals(List.of(ProviderEvent.PROVIDER_READY, ProviderEvent.PROVIDER_STALE)));
            assertThat(client.getBooleanValue("checkout", false)).as("still served").isTrue();
            flags.reconnect();
            Await.until("READY again", () -> client.getProviderState() == ProviderState.READY && count(ProviderEvent.PROVIDER_READY) == 2);
        }
    }

    @Test
    void aClientWaitingForItsFirstDataKeepsTheProviderNotReady() throws Exception {
        try (HeldFlagServer server = new HeldFlagServer(); DarklaunchClient darklaunch = server.client()) {
            provider = new DarklaunchProvider(darklaunch, Duration.ofSeconds(30));
            api.setProvider(domain, provider); // initializes in the background
            assertThat(client.getProviderState()).isEqualTo(ProviderState.NOT_READY);
            assertThat(client.getBooleanDetails("checkout", false).getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);

            server.release(DATA);
            Await.until("READY", () -> client.getProviderState() == ProviderState.READY && count(ProviderEvent.PROVIDER_READY) == 1);
            assertThat(client.getBooleanValue("checkout", false)).isTrue();
            assertThat(events).as("the client's own READY is not a second event").containsExactly(ProviderEvent.PROVIDER_READY);
        }
    }

    @Test
    void noDataWithinTheReadyTimeoutIsAnErrorUntilDataArrives() throws Exception {
        try (HeldFlagServer server = new HeldFlagServer(); DarklaunchClient darklaunch = server.client()) {
            provider = new DarklaunchProvider(darklaunch, Duration.ofMillis(50));
            assertThatThrownBy(() -> api.setProviderAndWait(domain, provider)).isInstanceOf(OpenFeatureError.class)
                    .hasMessageContaining("no flag data");
            assertThat(client.getProviderState()).isEqualTo(ProviderState.ERROR);

            server.release(DATA);
            Await.until("READY after data", () -> client.getProviderState() == ProviderState.READY);
            assertThat(client.getBooleanValue("checkout", false)).isTrue();
        }
    }

    @Test
    void anOfflineClientWithoutDataIsFatal() {
        try (DarklaunchClient darklaunch = DarklaunchClient.create(DarklaunchConfig.builder().offline().build())) {
            provider = new DarklaunchProvider(darklaunch);
            assertThatThrownBy(() -> api.setProviderAndWait(domain, provider)).isInstanceOf(OpenFeatureError.class);
            assertThat(client.getProviderState()).isEqualTo(ProviderState.FATAL);
            assertThat(client.getBooleanDetails("checkout", true).getErrorCode()).isEqualTo(ErrorCode.PROVIDER_FATAL);
        }
    }
}
