package dev.darklaunch.server.http;

/**
 * A failure as the HTTP caller sees it: status, error code, message and the offending field.
 * {@link Failures} makes these from {@link dev.darklaunch.server.failures.Failure}s and from
 * what only HTTP can get wrong (an unsupported media type, a malformed request line); nothing
 * outside this package sees one (others read a {@link Failures.Answer}).
 */
final class ApiError extends RuntimeException {

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

    static ApiError of(int status, String code, String message, String field) {
        return new ApiError(status, code, message, field);
    }

    static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "unsupported_media_type", message, null);
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
