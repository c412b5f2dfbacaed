package dev.darklaunch.sdk.internal.model;

import static dev.darklaunch.sdk.internal.model.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Date-time values of before/after clauses. */
class TimestampsTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "\"1970-01-01T00:00:00Z\"          | 0",
        "\"2025-05-01T09:30:00Z\"          | 1746091800000",
        "\"2025-05-01T11:30:00+02:00\"     | 1746091800000",
        "\"2025-05-01T09:30:00.250Z\"      | 1746091800250",
        "1746091800000                     | 1746091800000",
        "-1                                | -1",
    })
    void readsIsoDateTimesAndEpochMillis(String value, long expected) {
        assertThat(Timestamps.epochMillis(json(value))).isEqualTo(OptionalLong.of(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2025-05-01\"", "\"2025-05-01T09:30:00\"", "\"yesterday\"", "1.5", "true", "null",
        "99999999999999999999", "\"+1000000000-12-31T23:59:59Z\""})
    void rejectsAnythingElse(String value) {
        assertThat(Timestamps.epochMillis(json(value))).isEmpty();
    }
}
