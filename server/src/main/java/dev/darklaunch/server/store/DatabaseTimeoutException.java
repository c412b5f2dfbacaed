package dev.darklaunch.server.store;

import java.time.Duration;

/**
 * The database did not answer within the deadline ({@code DARKLAUNCH_DATABASE_TIMEOUT}): it is
 * stalled or overloaded. The message says what the caller can know about its change.
 */
public final class DatabaseTimeoutException extends RuntimeException {

    /** How far an operation got when its deadline passed. */
    public enum Stage {
        /** a transaction that had not asked to commit: it is rolled back, nothing was changed */
        BEFORE_COMMIT,
        /** a transaction that had asked to commit: whether it did is unknown */
        COMMITTING,
        /** a single statement */
        STATEMENT
    }

    public DatabaseTimeoutException(Duration deadline, Stage stage) {
        super(message(deadline, stage), null, false, false);
    }

    private static String message(Duration deadline, Stage stage) {
        String within = "within " + seconds(deadline);
        return switch (stage) {
            case BEFORE_COMMIT -> "the database did not answer " + within + "; nothing was changed, try again shortly";
            case COMMITTING -> "the database did not confirm the commit " + within
                    + ": a change may or may not have been made; read it back before trying again";
            case STATEMENT -> "the database did not answer " + within + "; try again shortly";
        };
    }

    private static String seconds(Duration deadline) {
        return deadline.toMillis() % 1000 == 0 ? deadline.toSeconds() + " s" : deadline.toMillis() + " ms";
    }
}
