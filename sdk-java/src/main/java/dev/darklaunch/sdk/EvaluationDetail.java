package dev.darklaunch.sdk;

/**
 * The result of an evaluation with its explanation.
 *
 * @param value          the value served (the caller's default when the reason is an error, or when the flag
 *                       is off, or fails a prerequisite, and has no off variation)
 * @param variationIndex the index of the served variation, or -1 when the default was served
 * @param reason         why this value was served
 * @param <T>            the type asked for
 */
public record EvaluationDetail<T>(T value, int variationIndex, Reason reason) {

    /** Whether the caller's default was served (the flag could not be evaluated, or served no variation). */
    public boolean isDefaultValue() {
        return variationIndex < 0;
    }
}
