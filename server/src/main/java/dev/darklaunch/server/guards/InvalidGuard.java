package dev.darklaunch.server.guards;

/**
 * A guard definition that cannot be used, naming the field at fault (relative to the guard, e.g.
 * {@code metric.kind}) and why in a sentence; callers add where the guard sits and answer 400.
 */
public final class InvalidGuard extends IllegalArgumentException {

    private final String field;

    InvalidGuard(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault, relative to the guard: {@code metric.event}, {@code tolerance}, … */
    public String field() {
        return field;
    }
}
