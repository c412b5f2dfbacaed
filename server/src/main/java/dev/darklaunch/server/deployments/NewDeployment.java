package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.failures.Failure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a pipeline reports when it deploys, checked ({@link #of}). {@code idempotencyKey}, if not
 * null, makes a retried request answer the deployment recorded the first time.
 */
public record NewDeployment(String service, String version, String environment, String commit, String url,
                            List<String> flags, String status, String idempotencyKey) {

    static final int MAX_FLAGS = 100;
    private static final int MAX_TEXT = 100;
    private static final int MAX_URL = 2000;
    private static final int MAX_IDEMPOTENCY_KEY = 200;

    public NewDeployment {
        flags = List.copyOf(flags);
    }

    /**
     * Checks everything a pipeline sends before anything is written; the idempotency key first.
     * {@code status} null means started, {@code flags} null none.
     */
    public static NewDeployment of(String idempotencyKey, String service, String version, String environment, String commit,
                                   String url, List<String> flags, String status) {
        checkIdempotencyKey(idempotencyKey);
        service = text("service", service, true, false);
        version = text("version", version, true, true);
        commit = text("commit", commit, false, true);
        if (environment == null) {
            throw Failure.invalid("environment", "environment is required: the key of the environment deployed to");
        }
        ModelValidator.validateKey("environment", environment);
        url = url(url);
        flags = flags == null ? List.of() : flags;
        if (flags.size() > MAX_FLAGS) {
            throw Failure.invalid("flags", "a deployment ships at most " + MAX_FLAGS + " flags");
        }
        Set<String> seen = new HashSet<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            String field = "flags[" + i + "]";
            String key = flags.get(i);
            ModelValidator.validateKey(field, key);
            if (!seen.add(key)) {
                throw Failure.invalid(field, "flag '" + key + "' is listed twice");
            }
            keys.add(key);
        }
        status = status == null ? Deployment.STARTED : status;
        if (!status.equals(Deployment.STARTED) && !status.equals(Deployment.SUCCEEDED)) {
            throw Failure.invalid("status", "a deployment is recorded as started or succeeded; report a failure"
                    + " with PATCH …/deployments/{id} once it is recorded");
        }
        return new NewDeployment(service, version, environment, commit, url, keys, status, idempotencyKey);
    }

    private static String text(String field, String value, boolean required, boolean noSpaces) {
        if (value == null) {
            if (required) {
                throw Failure.invalid(field, field + " is required");
            }
            return null;
        }
        String stripped = value.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_TEXT) {
            throw Failure.invalid(field, field + " must be 1 to " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (Character.isISOControl(c) || (noSpaces && Character.isWhitespace(c))) {
                throw Failure.invalid(field, field + " must not contain " + (noSpaces ? "spaces or " : "") + "control characters");
            }
        }
        return stripped;
    }

    private static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (url.length() <= MAX_URL && uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                return url;
            }
        } catch (URISyntaxException ignored) {
            // answered below
        }
        throw Failure.invalid("url", "url must be an absolute http or https address of at most " + MAX_URL + " characters");
    }
    private static void checkIdempotencyKey(String key) {
        if (key != null && (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c > 32 && c < 127))) {
            throw Failure.invalid("Idempotency-Key", "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY
                    + " visible ASCII characters, such as the pipeline's run id");
        }
    }
}
