package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a rule or the fallthrough serves: a fixed variation or a percentage rollout. Exactly one
 * of the two components is non-null in a valid value.
 *
 * @param variation index into the flag's variations, or {@code null} when rolling out
 * @param rollout the rollout, or {@code null} when serving a fixed variation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Serve(Integer variation, Rollout rollout) {

    /** Serve one variation. */
    public static Serve ofVariation(int variation) {
        return new Serve(variation, null);
    }

    /** Serve a percentage rollout. */
    public static Serve ofRollout(Rollout rollout) {
        return new Serve(null, rollout);
    }
}
