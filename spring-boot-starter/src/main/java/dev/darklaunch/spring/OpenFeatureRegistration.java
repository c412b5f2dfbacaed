package dev.darklaunch.spring;

import dev.darklaunch.openfeature.DarklaunchProvider;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The provider's place as OpenFeatureAPI's default provider, for as long as the application
 * context lives. OpenFeatureAPI is one per JVM, so closing the context hands the default back to
 * a no-op provider (which shuts ours down) only if ours still holds it; it never shuts the API
 * down, which another context in the same JVM (a test's, say) may be using.
 */
final class OpenFeatureRegistration implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OpenFeatureRegistration.class);

    private final OpenFeatureAPI api;
    private final DarklaunchProvider provider;

    private OpenFeatureRegistration(OpenFeatureAPI api, DarklaunchProvider provider) {
        this.api = api;
        this.provider = provider;
    }

    static OpenFeatureRegistration register(OpenFeatureAPI api, DarklaunchProvider provider) {
        try {
            api.setProviderAndWait(provider);
        } catch (OpenFeatureError e) {
            // the client has no flag data yet: OpenFeature callers get their defaults until READY
            log.warn("Darklaunch's OpenFeature provider is not ready ({}); evaluations serve their defaults until the flags arrive",
                    e.getMessage());
        }
        return new OpenFeatureRegistration(api, provider);
    }

    OpenFeatureAPI api() {
        return api;
    }

    @Override
    public void destroy() {
        if (api.getProvider() == provider) {
            api.setProvider(new NoOpProvider());
        }
    }
}
