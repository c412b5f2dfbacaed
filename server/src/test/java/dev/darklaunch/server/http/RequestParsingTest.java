package dev.darklaunch.server.http;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Paging;
import dev.darklaunch.server.store.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestParsingTest {

    @Test
    void json_media_types_are_recognised() {
        assertThat(JsonBody.isJson("application/json")).isTrue();
        assertThat(JsonBody.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(JsonBody.isJson("application/merge-patch+json")).isTrue();
        assertThat(JsonBody.isJson("text/plain")).isFalse();
        assertThat(JsonBody.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(JsonBody.isJson(null)).isFalse();
    }

    @Test
    void a_version_check_passes_on_the_same_version_and_fails_with_412_otherwise() {
        Versioned.check(OptionalLong.empty(), 4);
        Versioned.check(OptionalLong.of(4), 4);
        assertThatThrownBy(() -> Versioned.check(OptionalLong.of(3), 4))
                .isInstanceOf(Failure.PreconditionFailed.class)
                .hasMessageContaining("current version is 4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "42", "9000"})
    void cursors_round_trip(String position) {
        String cursor = Paging.cursorFor(position);
        assertThat(cursor).doesNotContain("=", "+", "/");
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(cursor))).isEqualTo(position);
    }

    @Test
    void etags_are_strong_and_quoted() {
        assertThat(Versions.etag(7)).isEqualTo("\"7\"");
    }
}
