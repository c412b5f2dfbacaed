package dev.darklaunch.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How current a {@link DarklaunchClient}'s flag data is. Whatever the state, evaluations keep
 * serving the last good data (or the callers' defaults when there is none) and never throw.
 *
 * @param state          see {@link State}
 * @param dataUpdatedAt  when the served data was last received from, or confirmed current by, the
 *                       server (a snapshot, a change, a stream's heartbeat, a poll answered 304 —
 *                       never response headers alone), or read from the backup file or bootstrap;
 *                       null when there is no data
 * @param lastError      the last connection or data problem, or null when there was none since the
 *                       last success; never contains the SDK token
 * @param permanent      whether this state can never change: an offline client without backup or
 *                       bootstrap data will never have data (OpenFeature calls this "fatal")
 */
public record Status(State state, Instant dataUpdatedAt, String lastError, boolean permanent) {

    public Status {
        Objects.requireNonNull(state, "state");
    }

    /** A status that may still change. */
    public Status(State state, Instant dataUpdatedAt, String lastError) {
        this(state, dataUpdatedAt, lastError, false);
    }

    /** The states of the client's connection to its data. */
    public enum State {
        /** Started; no answer from the server yet (backup or bootstrap data may already be served). */
        INITIALIZING,
        /**
         * Data came from the server over a working connection and is current: a snapshot, or on a
         * resumed stream its first change or heartbeat, or a poll's answer. An answer that carries
         * no data (headers alone, an error page, a cut or unreadable body) never makes a client
         * READY. In offline mode: data from the backup file or bootstrap is loaded.
         */
        READY,
        /** The connection is interrupted or answers no usable data, and is being retried; the last good data is served. */
        STALE,
        /** The server refuses the SDK token, or there is no data at all and the server cannot be reached. */
        ERROR
    }

    /** How old the served data is (time since {@link #dataUpdatedAt()}); empty when there is none. */
    public Optional<Duration> dataAge() {
        return dataUpdatedAt == null ? Optional.empty() : Optional.of(Duration.between(dataUpdatedAt, Instant.now()));
    }
}
