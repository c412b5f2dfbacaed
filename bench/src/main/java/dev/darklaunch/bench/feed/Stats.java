package dev.darklaunch.bench.feed;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles (nearest rank) of a set of latencies in nanoseconds, printed in milliseconds. */
record Stats(int count, double p50, double p99, double max, double min) {

    static Stats of(long[] nanos) {
        if (nanos.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.99)), ms(sorted[sorted.length - 1]),
                ms(sorted[0]));
    }

    private static long rank(long[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms min=%.2f ms", count, p50, p99, max, min);
    }
}
