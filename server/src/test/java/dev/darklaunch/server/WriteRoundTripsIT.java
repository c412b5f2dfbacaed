package dev.darklaunch.server;

import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.RoundTripCounter;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.darklaunch.server.SdkFeedIT.P;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write waits for the database as few times as it can, counted on the wire between the server
 * and PostgreSQL: a toggle is begin, one statement, commit; so is a configuration write (its one
 * statement also reads what the validation needs; a change the validation refuses rolls back).
 * Only a flag that a running release ships costs one statement more, the pause of that release
 * (automation never overrides a person). A connection's first use of a statement adds one round
 * trip (prepare), later uses do not.
 */
class WriteRoundTripsIT {

    private static RoundTripCounter counter;
    private static TestServer server;

    @BeforeAll
    static void start() {
        String database = TestDatabase.fresh();
        counter = new RoundTripCounter(database);
        server = TestServer.start(counter.url(database));
        assertThat(server.admin().post(P + "/flags", SdkFeedIT.flag("counted")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (counter != null) {
            counter.close();
        }
    }

    /** More writes than the pool has connections (16): some connection runs the write twice, its statements prepared. */
    private static final int WRITES = 20;

    @Test
    void a_toggle_is_three_statements_and_three_round_trips_once_its_statements_are_prepared() {
        for (int i = 0; i < WRITES; i++) {
            Http.Response switched = server.admin().post(P + "/flags/counted/environments/production/" + (i % 2 == 0 ? "on" : "off"),
                    Map.of("comment", "toggle-" + i + "-marker"));
            assertThat(switched.status()).as(switched.toString()).isEqualTo(200);
        }
        List<RoundTripCounter.Transaction> toggles = marked("toggle-");
        System.out.printf("a toggle: %d statements, %d to %d round trips; the first: %s%n", toggles.get(0).statements(),
                fewest(toggles), most(toggles), toggles.get(0).roundTrips());
        assertThat(toggles).allSatisfy(t -> assertThat(t.statements()).as(t.roundTrips().toString()).isLessThanOrEqualTo(3));
        assertThat(fewest(toggles)).isLessThanOrEqualTo(3);
    }

    @Test
    void a_configuration_write_is_three_statements_and_three_round_trips_once_its_statements_are_prepared() {
        for (int i = 0; i < WRITES; i++) {
            Map<String, Object> config = Map.of("on", true, "offVariation", 0, "fallthrough", Map.of("variation", 1),
                    "targets", List.of(Map.of("variation", 0, "values", List.of("someone-" + i))), "comment", "config-" + i + "-marker");
            Http.Response put = server.admin().put(P + "/flags/counted/environments/staging", config);
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
        }
        List<RoundTripCounter.Transaction> writes = marked("config-");
        System.out.printf("a configuration write: %d statements, %d to %d round trips; the first: %s%n",
                writes.get(0).statements(), fewest(writes), most(writes), writes.get(0).roundTrips());
        assertThat(writes).allSatisfy(t -> assertThat(t.statements()).as(t.roundTrips().toString()).isLessThanOrEqualTo(3));
        assertThat(fewest(writes)).isLessThanOrEqualTo(3);
    }

    private static List<RoundTripCounter.Transaction> marked(String prefix) {
        List<RoundTripCounter.Transaction> found = new java.util.ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            List<RoundTripCounter.Transaction> one = counter.transactionsWith(prefix + i + "-marker");
            assertThat(one).as("one transaction carried marker " + i).hasSize(1);
            found.add(one.get(0));
        }
        return found;
    }

    private static int fewest(List<RoundTripCounter.Transaction> transactions) {
        return transactions.stream().mapToInt(RoundTripCounter.Transaction::count).min().orElseThrow();
    }

    private static int most(List<RoundTripCounter.Transaction> transactions) {
        return transactions.stream().mapToInt(RoundTripCounter.Transaction::count).max().orElseThrow();
    }
}
