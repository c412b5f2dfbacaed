package dev.darklaunch.server.http;

import dev.darklaunch.server.failures.Failure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads a time the caller sends (in a body or a query parameter): ISO-8601 with an offset, between
 * the years 1 and 9999. Java parses years far beyond that, and PostgreSQL stores some of them, but
 * not all: a time past its range failed the write, and one at its edge was stored as infinity, which
 * no later arithmetic (a release step's due time) survives. Four-digit years are also what RFC 3339
 * and the OpenAPI {@code date-time} format allow. Every time the API takes goes through here.
 */
public final class Times {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final String RANGE = "from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z";
    private static final String EXAMPLE = "2026-11-26T14:02:00Z";

    private Times() {
    }

    /**
     * The time in {@code text}, in UTC.
     *
     * @param field the body field or query parameter it came from, named in the error
     * @throws Failure.Invalid naming the field when the text is not such a time or outside the range
     */
    public static OffsetDateTime parse(String field, String text) {
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw outside(field, " must be a time with an offset, such as " + EXAMPLE + ", ");
        }
        Instant instant = time.toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw outside(field, " must be a time ");
        }
        return time.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static Failure outside(String field, String must) {
        String name = field.substring(field.lastIndexOf('.') + 1);
        return Failure.invalid(field, name + must + RANGE);
    }
}
