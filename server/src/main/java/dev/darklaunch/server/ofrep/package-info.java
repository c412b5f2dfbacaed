/**
 * The OpenFeature Remote Evaluation Protocol: single and bulk evaluation, change events and its
 * own error shapes, answered from the feed's in-memory snapshots with the SDK's evaluator. One half
 * of the evaluation bridge (with {@code evaluation}).
 */
package dev.darklaunch.server.ofrep;
