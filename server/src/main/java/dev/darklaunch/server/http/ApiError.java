package dev.darklaunch.server.http;

/**
 * A failure the caller can act on, with the HTTP status it maps to. Handlers and stores throw or
 * fail with these; {@link Failures} turns them into {@code {error, message, field?}} bodies.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    private ApiError(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message, null);
    }

    public static ApiError invalid(String field, String message) {
        return new ApiError(400, "invalid_request", message, field);
    }

    public static ApiError invalid(String message) {
        return invalid(null, message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message, null);
    }

    public static ApiError conflict(String field, String message) {
        return new ApiError(409, "conflict", message, field);
    }

    public static ApiError versionMismatch(long expected, long actual) {
        return new ApiError(412, "version_mismatch", "If-Match names version " + expected
                + " but the current version is " + actual + "; read it again and reapply your change", null);
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "payload_too_large", message, null);
    }

    public static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "unsupported_media_type", message, null);
    }

    public static ApiError tooManyRequests(String message) {
        return new ApiError(429, "too_many_requests", message, null);
    }

    public static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** JSON path of the offending input, or null. */
    public String field() {
        return field;
    }
}
