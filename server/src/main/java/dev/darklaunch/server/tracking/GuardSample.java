package dev.darklaunch.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.failures.Failure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an SDK measured, over one report's period, for one flag a guarded release watches and one
 * variation it served: exposures (evaluations that served it) and, per tracked event name, the
 * count, value sum and sum of squared values of the events of contexts served it — as sent in
 * {@code POST /sdk/v1/metrics} ({@code "guards": [{"flag", "variation", "exposures", "events":
 * [{"name", "count", "sum", "sumOfSquares"}]}]}).
 */
public record GuardSample(String flag, int variation, long exposures, List<EventSums> events) {

    /** The most entries (flag × variation) and the most event sums one report may carry (an SDK keeps fewer). */
    public static final int MAX_PER_REPORT = 10_000;
    /** Variation indexes are small; a larger one is no index of any flag. */
    private static final int MAX_VARIATION = 9_999;
    private static final int MAX_FLAG_KEY_LENGTH = 256;
    /**
     * How far a sum of squares may fall short of what the count and sum imply (sum² / count) before
     * the numbers are taken as made up rather than rounded: floating-point sums carry small errors.
     */
    private static final double ROUNDING = 1e-6;

    /** One event name's sums for the sample's variation. */
    public record EventSums(String name, long count, double sum, double sumOfSquares) {
        EventSums plus(EventSums other) {
            long total = count + other.count;
            return new EventSums(name, total < 0 ? Long.MAX_VALUE : total, sum + other.sum, sumOfSquares + other.sumOfSquares);
        }
    }

    /** An entry as the body reader binds it: numbers as JSON, so that messages speak of counts and sums. */
    public record Reported(String flag, JsonNode variation, JsonNode exposures, List<ReportedEvent> events) {
    }

    /** An event's sums as the body reader binds them. */
    public record ReportedEvent(String name, JsonNode count, JsonNode sum, JsonNode sumOfSquares) {
    }

    /**
     * Checks the reported entries and merges those of the same flag and variation (and, within
     * them, the same event name): a database upsert cannot touch one row twice in one statement.
     *
     * @throws Failure 400 naming the first bad field
     */
    public static List<GuardSample> parse(List<Reported> reported) {
        if (reported == null) {
            return List.of();
        }
        if (reported.size() > MAX_PER_REPORT) {
            throw Failure.invalid("guards", "a report carries at most " + MAX_PER_REPORT + " guard entries");
        }
        Map<List<Object>, GuardSample> merged = new LinkedHashMap<>();
        int eventSums = 0;
        for (int i = 0; i < reported.size(); i++) {
            String field = "guards[" + i + "]";
            Reported entry = reported.get(i);
            if (entry == null) {
                throw Failure.invalid(field, "give each entry as {\"flag\", \"variation\", \"exposures\", \"events\"}");
            }
            List<EventSums> events = new ArrayList<>();
            if (entry.events() != null) {
                eventSums += entry.events().size();
                if (eventSums > MAX_PER_REPORT) {
                    throw Failure.invalid(field + ".events", "a report carries at most " + MAX_PER_REPORT + " event sums");
                }
                for (int j = 0; j < entry.events().size(); j++) {
                    events.add(eventSums(field + ".events[" + j + "]", entry.events().get(j)));
                }
            }
            GuardSample sample = new GuardSample(flag(field + ".flag", entry.flag()), variation(field + ".variation", entry.variation()),
                    count(field + ".exposures", entry.exposures(), true), events);
            merged.merge(List.of(sample.flag(), sample.variation()), sample, GuardSample::plus);
        }
        return merged.values().stream().map(GuardSample::withEventsMerged).toList();
    }

    private GuardSample plus(GuardSample other) {
        long total = exposures + other.exposures;
        List<EventSums> all = new ArrayList<>(events);
        all.addAll(other.events);
        return new GuardSample(flag, variation, total < 0 ? Long.MAX_VALUE : total, all);
    }

    private GuardSample withEventsMerged() {
        Map<String, EventSums> byName = new LinkedHashMap<>();
        events.forEach(sums -> byName.merge(sums.name(), sums, EventSums::plus));
        return new GuardSample(flag, variation, exposures, List.copyOf(byName.values()));
    }

    private static String flag(String field, String flag) {
        if (flag == null || flag.isEmpty() || flag.length() > MAX_FLAG_KEY_LENGTH) {
            throw Failure.invalid(field, "flag keys have 1 to " + MAX_FLAG_KEY_LENGTH + " characters");
        }
        return flag;
    }

    private static int variation(String field, JsonNode variation) {
        if (variation == null || !variation.isIntegralNumber() || !variation.canConvertToInt()
                || variation.intValue() < 0 || variation.intValue() > MAX_VARIATION) {
            throw Failure.invalid(field, "variation is the index of the variation served: a whole number from 0 up");
        }
        return variation.intValue();
    }

    private static EventSums eventSums(String field, ReportedEvent event) {
        if (event == null) {
            throw Failure.invalid(field, "give each event's sums as {\"name\", \"count\", \"sum\", \"sumOfSquares\"}");
        }
        String name = EventSum.name(field + ".name", event.name());
        long count = count(field + ".count", event.count(), false);
        double sum = sum(field + ".sum", event.sum());
        double squares = sum(field + ".sumOfSquares", event.sumOfSquares());
        if (squares < 0) {
            throw Failure.invalid(field + ".sumOfSquares", "a sum of squares is never negative");
        }
        // count values with this sum have at least sum² / count as their sum of squares: less is no real measurement
        boolean possible = count == 0 ? sum == 0 && squares == 0 : sum / count * sum <= squares * (1 + ROUNDING) + Double.MIN_NORMAL;
        if (!possible) {
            throw Failure.invalid(field + ".sumOfSquares", "count, sum and sumOfSquares do not fit together: "
                    + "the sum of squares of count values is at least sum² / count");
        }
        return new EventSums(name, count, sum, squares);
    }

    private static long count(String field, JsonNode count, boolean optional) {
        if (optional && (count == null || count.isNull())) {
            return 0;
        }
        if (count == null || !count.isIntegralNumber() || !count.canConvertToLong() || count.longValue() < 0) {
            throw Failure.invalid(field, "counts are whole numbers from 0 to " + Long.MAX_VALUE);
        }
        return count.longValue();
    }

    private static double sum(String field, JsonNode sum) {
        if (sum == null || sum.isNull()) {
            return 0;
        }
        if (!sum.isNumber() || !Double.isFinite(sum.doubleValue()) || Math.abs(sum.doubleValue()) > EventSum.MAX_SUM) {
            throw Failure.invalid(field, "sums are numbers from -1e300 to 1e300");
        }
        return sum.doubleValue();
    }
}
