package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Context keys that are served one variation regardless of rules.
 *
 * @param variation index into the flag's variations; required in JSON
 * @param values the context keys; empty when absent
 */
public record Target(@JsonProperty(required = true) int variation, List<String> values) {
    public Target {
        values = Copies.list(values);
    }
}
