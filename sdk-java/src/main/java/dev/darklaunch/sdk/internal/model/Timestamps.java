package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.OptionalLong;

/**
 * Reads the date-time values of {@link Operator#BEFORE} and {@link Operator#AFTER} clauses (and
 * the context attributes they are compared with): an ISO-8601 date-time with a zone designator or
 * offset ({@code 2025-05-01T09:30:00Z}, {@code 2025-05-01T11:30:00+02:00}) or a whole number of
 * milliseconds since the Unix epoch.
 */
public final class Timestamps {
    private Timestamps() {}

    /** Milliseconds since the epoch that {@code value} denotes, or empty if it is not a date-time. */
    public static OptionalLong epochMillis(JsonNode value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? OptionalLong.of(value.longValue()) : OptionalLong.empty();
        }
        return value.isTextual() ? epochMillis(value.textValue()) : OptionalLong.empty();
    }

    /** Milliseconds since the epoch of an ISO-8601 date-time with offset, or empty. */
    public static OptionalLong epochMillis(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Instant.parse(text).toEpochMilli());
        } catch (DateTimeException | ArithmeticException notAnInstant) {
            try {
                return OptionalLong.of(OffsetDateTime.parse(text).toInstant().toEpochMilli());
            } catch (DateTimeException | ArithmeticException notAnOffsetDateTime) {
                return OptionalLong.empty();
            }
        }
    }
}
