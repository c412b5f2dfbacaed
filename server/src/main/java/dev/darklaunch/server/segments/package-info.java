/**
 * Segments: included and excluded context keys and rules per environment, checked against the
 * flags that use them before a change is written. {@code SegmentsApi} is HTTP only,
 * {@code SegmentWrites} owns the rules and transactions, {@code SegmentStore} is SQL only.
 */
package dev.darklaunch.server.segments;
