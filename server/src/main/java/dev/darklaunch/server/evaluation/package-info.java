/**
 * The evaluate/preview endpoint: a context in, each flag's value and reason out, computed by the
 * SDK's own evaluator on the environment read from the database. One half of the evaluation bridge
 * (with {@code ofrep}), the only server code that may use the SDK's evaluator.
 */
package dev.darklaunch.server.evaluation;
