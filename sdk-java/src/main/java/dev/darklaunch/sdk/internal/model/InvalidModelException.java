package dev.darklaunch.sdk.internal.model;

/**
 * A flag, configuration or segment breaks a rule of {@link ModelValidator}. The REST API answers
 * it with 400 and {@code {"error": …, "message": getMessage(), "field": field()}}.
 */
public final class InvalidModelException extends RuntimeException {
    private final String field;

    /**
     * @param field the path of the offending value, see {@link #field()}
     * @param message what is wrong and what is allowed, for people
     */
    public InvalidModelException(String field, String message) {
        super(message);
        this.field = field;
    }

    /**
     * The path of the offending value in the JSON document, such as {@code key},
     * {@code variations} or {@code rules[2].clauses[0].values[1]}; the empty string when the
     * document as a whole is missing.
     */
    public String field() {
        return field;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + ": " + (field.isEmpty() ? "" : field + ": ") + getMessage();
    }
}
