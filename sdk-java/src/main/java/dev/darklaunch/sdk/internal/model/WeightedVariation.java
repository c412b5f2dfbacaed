package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One variation's share of a {@link Rollout}.
 *
 * @param variation index into the flag's variations; required in JSON
 * @param weight in {@code [0, Rollout.TOTAL_WEIGHT]}, e.g. 25 000 for 25 %; required in JSON
 */
public record WeightedVariation(
        @JsonProperty(required = true) int variation,
        @JsonProperty(required = true) int weight) {}
