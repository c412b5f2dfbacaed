/**
 * Segments: included and excluded context keys and rules per environment, checked against the
 * flags that use them before a change is written.
 */
package dev.darklaunch.server.segments;
