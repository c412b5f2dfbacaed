package dev.darklaunch.server.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A setup write that did not do what the test needs stops the test there, saying what came back. */
class FixturesTest {

    private static Http.Response answer(int status, String body) {
        return new Http.Response(status, Map.of("Content-Type", List.of("application/json")), body);
    }

    @Test
    void the_expected_status_gives_the_parsed_body() {
        assertThat(Fixtures.expect(201, answer(201, "{\"id\":7}")).get("id").asLong()).isEqualTo(7);
        assertThat(Fixtures.succeeded(answer(204, "")).isMissingNode()).isTrue();
    }

    @Test
    void another_status_fails_with_the_answer() {
        assertThatThrownBy(() -> Fixtures.expect(201, answer(409, "{\"error\":\"conflict\"}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected 201").hasMessageContaining("409 {\"error\":\"conflict\"}");
        assertThatThrownBy(() -> Fixtures.expect(200, answer(201, "{}"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Fixtures.succeeded(answer(503, "{\"error\":\"unavailable\"}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("503");
    }
}
