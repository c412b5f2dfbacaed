package dev.darklaunch.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.Times;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One minute's count and value sum of one tracked event, as an SDK reports it in
 * {@code POST /sdk/v1/metrics} ({@code "events": [{"name", "minute", "count", "sum"}]}).
 */
public record EventSum(String name, OffsetDateTime minute, long count, double sum) {

    /** The longest event name; the SDK refuses longer ones the same way. */
    public static final int MAX_NAME_LENGTH = 256;
    /** The most sums one report may carry (an SDK keeps far fewer). */
    public static final int MAX_PER_REPORT = 10_000;
    /**
     * The largest magnitude of a reported sum: leaves room for adding many reports in a double
     * precision column without reaching infinity, which PostgreSQL refuses as an overflow.
     */
    public static final double MAX_SUM = 1e300;

    /** A reported sum as the body reader binds it: values as JSON, so that messages speak of counts and sums. */
    public record Reported(String name, String minute, JsonNode count, JsonNode sum) {
    }

    /**
     * Checks the reported sums and merges those of the same name and minute (a database upsert
     * cannot touch one row twice in one statement).
     *
     * @throws Failure 400 naming the first bad field
     */
    public static List<EventSum> parse(List<Reported> reported) {
        if (reported == null) {
            return List.of();
        }
        if (reported.size() > MAX_PER_REPORT) {
            throw Failure.invalid("events", "a report carries at most " + MAX_PER_REPORT + " event sums");
        }
        Map<List<Object>, EventSum> merged = new LinkedHashMap<>();
        for (int i = 0; i < reported.size(); i++) {
            String field = "events[" + i + "]";
            Reported event = reported.get(i);
            if (event == null) {
                throw Failure.invalid(field, "give each event sum as {\"name\", \"minute\", \"count\", \"sum\"}");
            }
            EventSum sum = new EventSum(name(field + ".name", event.name()), minute(field + ".minute", event.minute()),
                    count(field + ".count", event.count()), sum(field + ".sum", event.sum()));
            merged.merge(List.of(sum.name(), sum.minute()), sum, EventSum::plus);
        }
        return new ArrayList<>(merged.values());
    }

    private EventSum plus(EventSum other) {
        long total = count + other.count;
        return new EventSum(name, minute, total < 0 ? Long.MAX_VALUE : total, sum + other.sum);
    }

    static String name(String field, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw Failure.invalid(field, "event names are text of 1 to " + MAX_NAME_LENGTH + " characters, not blank");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw Failure.invalid(field, "event names must not contain control characters");
        }
        return name;
    }

    private static OffsetDateTime minute(String field, String minute) {
        if (minute == null) {
            throw Failure.invalid(field, "minute is required: the start of the minute the events happened in");
        }
        OffsetDateTime time = Times.parse(field, minute);
        if (time.getSecond() != 0 || time.getNano() != 0) {
            throw Failure.invalid(field, "minute must be the start of a minute, such as 2026-11-26T14:02:00Z");
        }
        return time;
    }

    private static long count(String field, JsonNode count) {
        if (count == null || !count.isIntegralNumber() || !count.canConvertToLong() || count.longValue() < 0) {
            throw Failure.invalid(field, "counts are whole numbers from 0 to " + Long.MAX_VALUE);
        }
        return count.longValue();
    }

    private static double sum(String field, JsonNode sum) {
        if (sum == null || sum.isNull()) {
            return 0;
        }
        if (!sum.isNumber() || !Double.isFinite(sum.doubleValue()) || Math.abs(sum.doubleValue()) > MAX_SUM) {
            throw Failure.invalid(field, "sums are numbers from -1e300 to 1e300");
        }
        return sum.doubleValue();
    }
}
