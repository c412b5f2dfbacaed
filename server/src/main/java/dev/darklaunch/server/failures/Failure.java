package dev.darklaunch.server.failures;

/**
 * A failure the caller can act on, said in the product's words and free of any transport: stores,
 * services and API classes throw or fail with these, and only {@code http.Failures} decides what
 * each becomes on the wire (status code, error code, body). One subclass per kind, so a caller that
 * must tell kinds apart matches on the type, never on a number.
 */
public abstract sealed class Failure extends RuntimeException {

    private final String field;

    private Failure(String message, String field) {
        super(message, null, false, false); // expected outcomes: no stack trace to fill
        this.field = field;
    }

    /** JSON path of the offending input, or null. */
    public String field() {
        return field;
    }

    /** The input breaks a rule; {@code field} names where (a JSON path), or is null. */
    public static Invalid invalid(String field, String message) {
        return new Invalid(field, message);
    }

    public static Invalid invalid(String message) {
        return new Invalid(null, message);
    }

    /** No credentials, or credentials that are not (or no longer) valid. */
    public static Unauthenticated unauthorized(String message) {
        return new Unauthenticated(message);
    }

    /** Known caller, but its role or scope does not allow this. */
    public static Forbidden forbidden(String message) {
        return new Forbidden(message);
    }

    public static NotFound notFound(String message) {
        return new NotFound(message);
    }

    /** The request clashes with the current state (a duplicate, a reference, a state that does not allow it). */
    public static Conflict conflict(String message) {
        return new Conflict(null, message);
    }

    public static Conflict conflict(String field, String message) {
        return new Conflict(field, message);
    }

    /** The caller's If-Match names a version that is no longer current. */
    public static PreconditionFailed versionMismatch(long expected, long actual) {
        return new PreconditionFailed("If-Match names version " + expected + " but the current version is " + actual
                + "; read it again and reapply your change");
    }

    /** What the caller's request was computed on (a plan, a version) is no longer current. */
    public static PreconditionFailed preconditionFailed(String message) {
        return new PreconditionFailed(message);
    }

    public static TooLarge tooLarge(String message) {
        return new TooLarge(message);
    }

    /** The caller is over a limit (sign-in attempts, open streams); trying later may work. */
    public static TooMany tooManyRequests(String message) {
        return new TooMany(message);
    }

    /** Something the request needs (the database, an environment's data) is not available now. */
    public static Unavailable unavailable(String message) {
        return new Unavailable(message);
    }

    public static final class Invalid extends Failure {
        private Invalid(String field, String message) {
            super(message, field);
        }
    }

    public static final class Unauthenticated extends Failure {
        private Unauthenticated(String message) {
            super(message, null);
        }
    }

    public static final class Forbidden extends Failure {
        private Forbidden(String message) {
            super(message, null);
        }
    }

    public static final class NotFound extends Failure {
        private NotFound(String message) {
            super(message, null);
        }
    }

    public static final class Conflict extends Failure {
        private Conflict(String field, String message) {
            super(message, field);
        }
    }

    public static final class PreconditionFailed extends Failure {
        private PreconditionFailed(String message) {
            super(message, null);
        }
    }

    public static final class TooLarge extends Failure {
        private TooLarge(String message) {
            super(message, null);
        }
    }

    public static final class TooMany extends Failure {
        private TooMany(String message) {
            super(message, null);
        }
    }

    public static final class Unavailable extends Failure {
        private Unavailable(String message) {
            super(message, null);
        }
    }
}
