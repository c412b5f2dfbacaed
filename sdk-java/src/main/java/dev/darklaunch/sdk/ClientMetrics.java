package dev.darklaunch.sdk;

/**
 * Cumulative counts of one {@link DarklaunchClient} since it started, for monitoring; see
 * {@link DarklaunchClient#metrics()}.
 *
 * @param evaluations     evaluations that served one of the flag's variations (counted only while
 *                        evaluation counts are on, the default)
 * @param defaultsServed  evaluations that served the caller's default (wrong type, malformed flag,
 *                        a failed prerequisite chain…; a missing flag or a client without data is
 *                        not counted, as it has no flag to count on)
 * @param reconnects      times the stream to the server ended and was opened again (0 when polling)
 * @param eventsIgnored   {@code track} calls ignored for invalid input
 * @param eventsDropped   tracked events (or per-minute sums of them) dropped to bound memory, or
 *                        refused by the server; and events a guarded flag did not attribute to a
 *                        variation (beyond its 100 event names, or a value too large to square)
 */
public record ClientMetrics(long evaluations, long defaultsServed, long reconnects, long eventsIgnored,
                            long eventsDropped) {
}
