package dev.darklaunch.server.ofrep;

/**
 * A refusal in OFREP's own words: a status, one of the protocol's error codes and details for
 * people. {@link OfrepErrors} writes it in the shape the protocol gives that status.
 */
final class OfrepFailure extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final String field;

    private OfrepFailure(int status, String errorCode, String details, String field) {
        super(details, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.field = field;
    }

    /** The request cannot be read: not JSON, not the protocol's shape. */
    static OfrepFailure parseError(String field, String details) {
        return new OfrepFailure(400, "PARSE_ERROR", details, field);
    }

    static OfrepFailure invalidContext(String field, String details) {
        return new OfrepFailure(400, "INVALID_CONTEXT", details, field);
    }

    static OfrepFailure targetingKeyMissing() {
        return new OfrepFailure(400, "TARGETING_KEY_MISSING",
                "the context has no targetingKey; send {\"context\": {\"targetingKey\": \"user-42\", …}}", "context.targetingKey");
    }

    /** Also what a client token gets for a flag that exists but is not client-side: nothing tells them apart. */
    static OfrepFailure flagNotFound(String key) {
        return new OfrepFailure(404, "FLAG_NOT_FOUND", "no flag '" + key + "' for this token", null);
    }

    /** The flag's configuration cannot be evaluated (the caller's default applies). */
    static OfrepFailure flagUnusable(String key) {
        return new OfrepFailure(400, "PARSE_ERROR", "the configuration of flag '" + key + "' cannot be evaluated", null);
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    /** The offending part of the request, or null. */
    String field() {
        return field;
    }
}
