package dev.darklaunch.server.flags;

import dev.darklaunch.server.store.Versioned;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.darklaunch.sdk.internal.model.Flag;

import java.time.OffsetDateTime;
import java.util.Map;

/** A flag as the API shows it: its definition, version, times and its state per environment. */
public record FlagView(@JsonUnwrapped Flag flag, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                       Map<String, EnvironmentState> environments) implements Versioned {

    /**
     * Whether the flag is on in an environment, that configuration's version, and when an SDK
     * last reported evaluating it there (null: never — a candidate for clean-up once released).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentState(boolean on, long version, OffsetDateTime lastEvaluatedAt) {
    }
}
