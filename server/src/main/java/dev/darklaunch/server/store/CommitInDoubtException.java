package dev.darklaunch.server.store;

/**
 * A transaction asked the database to commit and the connection broke before the answer came:
 * the commit may have happened or not, and nobody on this side can tell. Saying "nothing was
 * changed" here would be a lie half of the time, so the caller is told to read before retrying.
 */
public final class CommitInDoubtException extends RuntimeException {

    public CommitInDoubtException(Throwable cause) {
        super("the connection to the database broke while it committed: a change may or may not have been made; "
                + "read it back before trying again", cause, false, false);
    }

    /**
     * Whether a failed commit leaves its outcome unknown. An error PostgreSQL itself answered (a
     * serialization failure, a deferred constraint) means it rolled back; a lost connection, or
     * PostgreSQL shutting down or losing its connection, does not say — unless the COMMIT was never
     * sent (the connection was gone before it): then PostgreSQL rolled the transaction back.
     */
    public static boolean inDoubt(Throwable commitFailure) {
        if (commitFailure instanceof io.vertx.pgclient.PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            return state.startsWith("08") || state.startsWith("57P");
        }
        String message = commitFailure.getMessage();
        return message == null || NOT_SENT.stream().noneMatch(message::startsWith);
    }

    /** What the SQL client says when a command never left for a connection that had closed. */
    private static final java.util.List<String> NOT_SENT = java.util.List.of(
            "Connection is not active now",
            "Pending requests failed to be sent due to connection has been closed");
}
