package dev.darklaunch.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.ModelJson;

import java.util.Optional;

/**
 * How a {@link DarklaunchClient} gets its flags. Build with {@link #builder()}; immutable.
 *
 * <pre>{@code
 * DarklaunchConfig config = DarklaunchConfig.builder()
 *         .bootstrap(flagsJsonFromYourDeployment)
 *         .build();
 * }</pre>
 */
public final class DarklaunchConfig {

    private final Optional<EnvironmentData> bootstrap;

    private DarklaunchConfig(Builder builder) {
        this.bootstrap = Optional.ofNullable(builder.bootstrap);
    }

    public static Builder builder() {
        return new Builder();
    }

    Optional<EnvironmentData> bootstrap() {
        return bootstrap;
    }

    /** Collects settings; {@link #build()} checks them. */
    public static final class Builder {
        private EnvironmentData bootstrap;

        private Builder() {
        }

        /**
         * Flag data to evaluate from the start, in the SDK feed's snapshot format
         * ({@code {"revision": n, "flags": [{"flag": {…}, "config": {…}}], "segments": [{"key": …, "config": {…}}]}}).
         *
         * @throws IllegalArgumentException if the text is not such data
         */
        public Builder bootstrap(String json) {
            try {
                this.bootstrap = ModelJson.mapper().readValue(json, EnvironmentData.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("bootstrap data is not valid flag data: " + e.getOriginalMessage(), e);
            }
            return this;
        }

        public DarklaunchConfig build() {
            return new DarklaunchConfig(this);
        }
    }
}
