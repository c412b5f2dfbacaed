package dev.darklaunch.server.flags;

import dev.darklaunch.server.store.Versioned;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.darklaunch.sdk.internal.model.Flag;

import java.time.OffsetDateTime;
import java.util.Map;

/** A flag as the API shows it: its definition, version, times and its state per environment. */
public record FlagView(@JsonUnwrapped Flag flag, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                       Map<String, EnvironmentState> environments) implements Versioned {

    /**
     * Whether the flag is on in an environment, that configuration's version, and when an SDK
     * last reported evaluating it there (null: never — a candidate for clean-up once released);
     * the configuration itself, so a list can say who gets the flag without a request per cell;
     * and the release that ships it there, while one is running or paused (null otherwise).
     * The configuration is the stored JSON as it is: the list shows up to 500 flags in every
     * environment, and parsing each only to write it again would cost the event loop for nothing.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentState(boolean on, long version, OffsetDateTime lastEvaluatedAt, @JsonRawValue String config,
                                   Release release) {
    }

    /** The deployment whose release plan (running or paused) sets the flag's share in an environment. */
    public record Release(long deployment, String service, String version, String state) {
    }
}
