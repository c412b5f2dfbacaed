package dev.darklaunch.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.CommitInDoubtException;
import dev.darklaunch.server.store.DatabaseTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one place failures become statuses: every way the database connection can fail (refused,
 * closed, reset, timed out, pool exhausted, cancelled by PostgreSQL's own timeouts) is 503 with a
 * message about the database, never a 500; our own bugs stay 500.
 */
class FailuresTest {

    static Stream<Throwable> connectionFailures() {
        return Stream.of(
                // seen during a database crash: a pooled connection whose socket had just closed
                VertxException.noStackTrace("Connection is not active now, current status: CLOSED"),
                VertxException.noStackTrace("Connection is not active now, current status: CLOSING"),
                new VertxException("Pending requests failed to be sent due to connection has been closed.", true),
                new VertxException("Connection was closed", true),
                ClosedConnectionException.INSTANCE,
                new ConnectException("Connection refused"),
                new SocketException("Connection reset"),
                new java.io.IOException("Connection reset by peer"), // as NIO reports a reset while writing
                new java.io.IOException("Broken pipe"),
                // the pool exhausted: no connection within its timeout (two forms)
                new NoStackTraceThrowable("Timeout"),
                new VertxException("Timeout waiting for connection", true),
                new java.util.concurrent.TimeoutException("deadline"),
                pg("57014", "canceling statement due to statement timeout"),
                pg("25P03", "terminating connection due to idle-in-transaction timeout"),
                pg("55P03", "could not obtain lock"),
                pg("57P01", "terminating connection due to administrator command"),
                pg("08006", "connection failure"),
                pg("53300", "too many connections"),
                new CompletionException(VertxException.noStackTrace("Connection is not active now, current status: CLOSED")));
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of(Failure.invalid("key", "bad"), 400, "invalid_request"),
                Arguments.of(Failure.unauthorized("who?"), 401, "unauthorized"),
                Arguments.of(Failure.forbidden("no"), 403, "forbidden"),
                Arguments.of(Failure.notFound("none"), 404, "not_found"),
                Arguments.of(Failure.conflict("key", "taken"), 409, "conflict"),
                Arguments.of(Failure.versionMismatch(3, 4), 412, "version_mismatch"),
                Arguments.of(Failure.tooLarge("big"), 413, "payload_too_large"),
                Arguments.of(Failure.tooManyRequests("slow down"), 429, "too_many_requests"),
                Arguments.of(Failure.unavailable("later"), 503, "unavailable"));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void each_kind_of_failure_has_its_status_and_code_here_and_keeps_its_message_and_field(Failure failure, int status, String code) {
        ApiError error = Failures.classify(new CompletionException(failure));
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.getMessage()).isEqualTo(failure.getMessage());
        assertThat(error.field()).isEqualTo(failure.field());
    }

    @ParameterizedTest
    @MethodSource("connectionFailures")
    void a_failed_database_connection_is_503_with_a_message_about_the_database(Throwable failure) {
        ApiError error = Failures.classify(failure);
        assertThat(error.status()).as(failure.toString()).isEqualTo(503);
        assertThat(error.code()).isEqualTo("unavailable");
        assertThat(error.getMessage()).contains("database");
    }

    @Test
    void a_database_that_did_not_answer_in_time_is_503_saying_what_is_known_of_the_change() {
        ApiError committing = Failures.classify(new DatabaseTimeoutException(Duration.ofSeconds(5),
                DatabaseTimeoutException.Stage.COMMITTING));
        assertThat(committing.status()).isEqualTo(503);
        assertThat(committing.getMessage()).contains("within 5 s", "may or may not have been made");
        ApiError before = Failures.classify(new DatabaseTimeoutException(Duration.ofMillis(1500),
                DatabaseTimeoutException.Stage.BEFORE_COMMIT));
        assertThat(before.getMessage()).contains("within 1500 ms", "nothing was changed");
    }

    @Test
    void a_commit_whose_answer_was_lost_is_503_saying_the_change_may_have_been_made() {
        ApiError error = Failures.classify(new CommitInDoubtException(new io.vertx.core.VertxException("Connection closed")));
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.getMessage()).contains("may or may not have been made").doesNotContain("nothing was changed");
        assertThat(CommitInDoubtException.inDoubt(new io.vertx.core.VertxException("Connection closed"))).isTrue();
        assertThat(CommitInDoubtException.inDoubt(pg("08006", "connection failure"))).isTrue();
        assertThat(CommitInDoubtException.inDoubt(pg("40001", "could not serialize access"))).as("PostgreSQL rolled back").isFalse();
        assertThat(CommitInDoubtException.inDoubt(new io.vertx.core.VertxException("Connection is not active now")))
                .as("the COMMIT never left").isFalse();
    }

    @Test
    void our_own_bugs_stay_500() {
        assertThat(Failures.classify(new IllegalStateException("a bug")).status()).isEqualTo(500);
        assertThat(Failures.classify(new NullPointerException()).status()).isEqualTo(500);
        assertThat(Failures.classify(new JsonParseException(null, "stored data we cannot read")).status()).isEqualTo(500);
        assertThat(Failures.classify(pg("42P01", "relation does not exist")).status()).isEqualTo(500);
    }

    private static PgException pg(String state, String message) {
        return new PgException(message, "ERROR", state, null);
    }
}
