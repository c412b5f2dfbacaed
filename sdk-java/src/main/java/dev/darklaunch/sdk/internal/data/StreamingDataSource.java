package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Follows {@code GET /sdk/v1/stream} (docs/sdk-feed.md): applies the snapshot, then each patch
 * whose {@code previous} is the current revision as one atomic swap; ignores duplicates and
 * unknown events; drops the stream and reconnects on a gap (asking for a snapshot), on a
 * malformed event, on silence longer than {@link FeedTimings#silence()} and when the server ends
 * it, with {@link Backoff}; after a 401/403 waits {@link FeedTimings#unauthorizedRetry()}.
 * Resumes with {@code Last-Event-ID} from data it received itself (never from a backup file,
 * which may belong to another environment). Keeps the last good data through every error.
 *
 * <p>Threads: none of its own. Lines arrive on the HTTP client's executor; reconnects and the
 * silence check run on the given scheduler. All state is guarded by one lock.
 */
public final class StreamingDataSource implements DataSource {

    private static final Logger log = LoggerFactory.getLogger(StreamingDataSource.class);
    /** The largest event we accept; the server's whole-environment snapshot is far below it. */
    private static final int MAX_EVENT_CHARS = 64 * 1024 * 1024;
    /** After this many failed stream attempts in a row, each further failure also polls once. */
    static final int POLL_AFTER_FAILED_ATTEMPTS = 2;

    private final FeedHttp http;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Object lock = new Object();

    private DataSink sink;
    private EnvironmentData current;
    private boolean needSnapshot = true;
    private Connection connection;
    private boolean closed;
    private boolean pollInFlight;
    private boolean unauthorizedLogged;
    private int failedAttempts;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> silenceCheck;

    public StreamingDataSource(FeedHttp http, ScheduledExecutorService scheduler) {
        this.http = http;
        this.scheduler = scheduler;
        FeedTimings t = http.timings();
        this.backoff = new Backoff(t.firstRetry(), t.maxRetry(), t.healthyReset(), () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public void start(DataSink sink) {
        synchronized (lock) {
            this.sink = sink;
            long period = Math.max(10, http.timings().silence().toMillis() / 4);
            silenceCheck = scheduler.scheduleWithFixedDelay(this::checkSilence, period, period, TimeUnit.MILLISECONDS);
            scheduler.execute(this::connect);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
            if (silenceCheck != null) {
                silenceCheck.cancel(false);
            }
            if (connection != null) {
                connection.abandon();
                connection = null;
            }
        }
    }

    private void connect() {
        synchronized (lock) {
            if (closed || connection != null) {
                return;
            }
            Connection c = new Connection();
            connection = c;
            HttpRequest.Builder request = http.request("sdk/v1/stream").header("Accept", "text/event-stream").GET();
            if (current != null && !needSnapshot) {
                request.header("Last-Event-ID", Long.toString(current.revision()));
            }
            try {
                http.client().sendAsync(request.build(), c::handler).whenComplete((response, error) -> {
                    if (error != null) {
                        end(c, "cannot reach the stream: " + describe(error), false);
                    } else if (response.statusCode() != 200) {
                        end(c, "the stream answered HTTP " + response.statusCode(), FeedHttp.unauthorized(response.statusCode()));
                    } else {
                        end(c, null, false);
                    }
                });
            } catch (RuntimeException e) {
                end(c, "cannot open the stream: " + describe(e), false);
            }
        }
    }

    private void checkSilence() {
        synchronized (lock) {
            Connection c = connection;
            if (c != null && System.nanoTime() - c.lastByteAt > http.timings().silence().toNanos()) {
                end(c, "the stream was silent for over " + http.timings().silence().toSeconds() + " s", false);
            }
        }
    }

    /**
     * Ends a connection once and schedules the next attempt.
     *
     * @param error null when the server ended the stream normally
     */
    private void end(Connection c, String error, boolean unauthorized) {
        synchronized (lock) {
            if (!c.abandon() || closed || connection != c) {
                return;
            }
            connection = null;
            Duration delay;
            if (unauthorized) {
                delay = http.timings().unauthorizedRetry();
                if (!unauthorizedLogged) {
                    unauthorizedLogged = true;
                    log.error("Darklaunch refused the SDK token ({}); check the token. Retrying every {} s, without logging again",
                            error, delay.toSeconds());
                }
            } else {
                delay = backoff.nextDelay(System.nanoTime());
                if (error == null) {
                    log.debug("Darklaunch stream ended; reconnecting in {} ms", delay.toMillis());
                } else {
                    log.warn("Darklaunch stream: {}; keeping the last good flags, reconnecting in {} ms", error, delay.toMillis());
                }
            }
            if (error != null) {
                sink.failed(error, unauthorized);
                if (!unauthorized && ++failedAttempts >= POLL_AFTER_FAILED_ATTEMPTS) {
                    scheduler.execute(this::pollOnce);
                }
            }
            retry = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void opened(Connection c) {
        synchronized (lock) {
            if (connection != c) {
                return;
            }
            unauthorizedLogged = false;
            failedAttempts = 0;
            backoff.connected(System.nanoTime());
            if (current != null && !needSnapshot) {
                sink.healthy();
            }
        }
    }

    /**
     * Falls back to polling while the stream keeps failing: between stream attempts, reads the
     * whole environment once (a proxy that breaks event streams must not leave the SDK without
     * changes). Its failures are not reported: the stream's retries already say what is wrong.
     */
    private void pollOnce() {
        HttpRequest.Builder request = http.request("sdk/v1/flags").header("Accept", "application/json").GET();
        synchronized (lock) {
            if (closed || pollInFlight) {
                return; // one poll at a time: the next one then says which revision the last one brought
            }
            pollInFlight = true;
            if (current != null) {
                request.header("If-None-Match", "\"" + current.revision() + "\"");
            }
        }
        try {
            http.client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                synchronized (lock) {
                    pollInFlight = false;
                    if (closed || error != null || response.statusCode() != 200) {
                        return;
                    }
                    try {
                        EnvironmentData next = FeedHttp.parseData(response.body());
                        if (current != null && !needSnapshot && next.revision() <= current.revision()) {
                            return; // the stream got further while this answer was on its way: never go back
                        }
                        sink.apply(next);
                        current = next;
                        needSnapshot = false;
                    } catch (Exception e) {
                        log.debug("ignoring malformed flag data from the polling fallback", e);
                    }
                }
            });
        } catch (RuntimeException e) {
            synchronized (lock) {
                pollInFlight = false;
            }
            log.debug("polling fallback failed", e);
        }
    }

    /** Handles one complete event; returns an error text when the stream must be dropped, else null. */
    private String onEvent(Connection c, String name, String data) {
        synchronized (lock) {
            if (connection != c) {
                return null;
            }
            try {
                switch (name) {
                    case "snapshot" -> {
                        EnvironmentData next = FeedHttp.parseData(data);
                        sink.apply(next);
                        current = next;
                        needSnapshot = false;
                    }
                    case "patch" -> {
                        return onPatch(FeedHttp.parsePatch(data));
                    }
                    default -> log.debug("ignoring unknown stream event {}", name);
                }
                return null;
            } catch (Exception e) {
                return "malformed " + name + " event (" + describe(e) + ")";
            }
        }
    }

    private String onPatch(EnvironmentPatch patch) {
        if (current == null || needSnapshot) {
            needSnapshot = true;
            return "a patch arrived before any snapshot";
        }
        long revision = current.revision();
        if (patch.revision() <= revision) {
            log.debug("ignoring patch to revision {}: already at {}", patch.revision(), revision);
            return null;
        }
        if (patch.previous() != revision) {
            needSnapshot = true;
            return "missed changes: patch from revision " + patch.previous() + " while at " + revision;
        }
        EnvironmentData next = patch.applyTo(current);
        sink.apply(next);
        current = next;
        return null;
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && (cause.getMessage() == null || cause instanceof java.util.concurrent.CompletionException)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    /** One HTTP connection to the stream; reads Server-Sent Events line by line. */
    private final class Connection implements Flow.Subscriber<String> {
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile Flow.Subscription subscription;
        private volatile long lastByteAt = System.nanoTime();
        // Event assembly: touched only by the subscriber callbacks, which the HTTP client serialises.
        private String eventName;
        private StringBuilder data;

        HttpResponse.BodySubscriber<Void> handler(HttpResponse.ResponseInfo info) {
            lastByteAt = System.nanoTime();
            if (info.statusCode() == 200) {
                opened(this);
                return HttpResponse.BodySubscribers.fromLineSubscriber(this);
            }
            return HttpResponse.BodySubscribers.replacing(null);
        }

        /** Marks this connection ended and cancels its body; true only the first time. */
        boolean abandon() {
            boolean first = ended.compareAndSet(false, true);
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            return first;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (ended.get()) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            lastByteAt = System.nanoTime();
            if (ended.get()) {
                return;
            }
            if (line.isEmpty()) {
                if (data != null) {
                    String error = onEvent(this, eventName == null ? "message" : eventName, data.toString());
                    if (error != null) {
                        end(this, error, false);
                    }
                }
                eventName = null;
                data = null;
                return;
            }
            if (line.startsWith(":")) {
                return; // a comment: the heartbeat
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                eventName = value;
            } else if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
                if (data.length() > MAX_EVENT_CHARS) {
                    end(this, "an event exceeded " + MAX_EVENT_CHARS + " characters", false);
                }
            } // id and retry: the revision in the data is what counts; the server's retry hint is not followed
        }

        @Override
        public void onError(Throwable error) {
            end(this, "the stream broke: " + describe(error), false);
        }

        @Override
        public void onComplete() {
            end(this, null, false);
        }
    }
}
