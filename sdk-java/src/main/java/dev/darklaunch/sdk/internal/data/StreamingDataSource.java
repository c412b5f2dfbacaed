package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * <p>A stream counts as <em>live</em> only once data came through it — its snapshot, or, when
 * resumed, its first applied patch or heartbeat (the server sends one right after what a resumed
 * stream needs) — never on its response headers alone: a stream whose body never arrives must
 * not make the client claim current data. A 200 that is not an event stream, or a stream that
 * ends before it was live or in the middle of an event, is a failure like a refused connection:
 * reported, backed off, polled around.
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
    private static final long NO_DATA = Long.MIN_VALUE;

    private final FeedHttp http;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Object lock = new Object();

    private DataSink sink;
    /** The revision of the data last handed to the sink; {@link #NO_DATA} before any. */
    private long current = NO_DATA;
    private boolean needSnapshot = true;
    private Connection connection;
    private boolean closed;
    private boolean pollInFlight;
    private boolean unauthorizedLogged;
    /** The failure last logged at WARN; the same one again is logged at DEBUG until the stream is live. */
    private String failureLogged;
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
            boolean resuming = current != NO_DATA && !needSnapshot;
            Connection c = new Connection(resuming);
            connection = c;
            HttpRequest.Builder request = http.request("sdk/v1/stream").header("Accept", "text/event-stream").GET();
            if (resuming) {
                request.header("Last-Event-ID", Long.toString(current));
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
            if (c != null && !c.busy && System.nanoTime() - c.heardAt > http.timings().silence().toNanos()) {
                end(c, "the stream was silent for over " + http.timings().silence().toSeconds() + " s", false);
            }
        }
    }

    /**
     * Ends a connection once and schedules the next attempt.
     *
     * @param error null when the server ended the stream normally (a failure all the same if the
     *              stream never became live)
     */
    private void end(Connection c, String error, boolean unauthorized) {
        synchronized (lock) {
            if (!c.abandon() || closed || connection != c) {
                return;
            }
            connection = null;
            if (error == null && !c.live) {
                error = "the stream ended before any data arrived";
            }
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
                } else if (!error.equals(failureLogged)) {
                    failureLogged = error; // once per kind of failure: a proxy answering junk must not flood the log
                    log.warn("Darklaunch stream: {}; keeping the last good flags, reconnecting in {} ms with backoff{}",
                            error, delay.toMillis(), failedAttempts + 1 >= POLL_AFTER_FAILED_ATTEMPTS ? ", polling meanwhile" : "");
                } else {
                    log.debug("Darklaunch stream: {} again; reconnecting in {} ms", error, delay.toMillis());
                }
            }
            if (error != null) {
                sink.failed(error, unauthorized);
                if (!unauthorized && ++failedAttempts >= POLL_AFTER_FAILED_ATTEMPTS) {
                    scheduler.execute(this::pollOnce);
                }
            }
            sink.reconnecting();
            retry = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Data came through {@code c}: from now on it is a healthy stream (call holding the lock). */
    private void live(Connection c) {
        if (c.live) {
            return;
        }
        c.live = true;
        unauthorizedLogged = false;
        failedAttempts = 0;
        backoff.connected(System.nanoTime());
        if (failureLogged != null) {
            failureLogged = null;
            log.info("Darklaunch stream is live again");
        }
    }

    /**
     * A heartbeat: on a live stream, or a resumed one (it follows whatever the resumed stream
     * needed), it confirms that the data is current.
     */
    private void onHeartbeat(Connection c) {
        synchronized (lock) {
            if (connection != c || current == NO_DATA || needSnapshot || !(c.live || c.resuming)) {
                return;
            }
            live(c);
            sink.healthy();
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
            if (current != NO_DATA) {
                request.header("If-None-Match", "\"" + current + "\"");
            }
        }
        try {
            http.client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                synchronized (lock) {
                    pollInFlight = false;
                    if (closed || error != null || response.statusCode() != 200 || FeedHttp.notJson(response) != null) {
                        return;
                    }
                    try {
                        EnvironmentData next = FeedHttp.parseData(response.body());
                        if (current != NO_DATA && !needSnapshot && next.revision() <= current) {
                            return; // the stream got further while this answer was on its way: never go back
                        }
                        sink.apply(next);
                        current = next.revision();
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
        c.busy = true; // the time this takes is the client's, not the server's silence
        try {
            // parsed outside the lock: a snapshot of megabytes takes a while, and close() and the
            // silence check need not wait for it
            Object parsed = switch (name) {
                case "snapshot" -> FeedHttp.parseData(data);
                case "patch" -> FeedHttp.parsePatch(data);
                default -> null;
            };
            synchronized (lock) {
                if (connection != c) {
                    return null;
                }
                if (parsed instanceof EnvironmentData next) {
                    sink.apply(next);
                    current = next.revision();
                    needSnapshot = false;
                    live(c);
                } else if (parsed instanceof EnvironmentPatch patch) {
                    return onPatch(c, patch);
                } else {
                    log.debug("ignoring unknown stream event {}", name);
                }
                return null;
            }
        } catch (Exception e) {
            return "malformed " + name + " event (" + describe(e) + ")";
        } finally {
            c.heardAt = System.nanoTime();
            c.busy = false;
        }
    }

    private String onPatch(Connection c, EnvironmentPatch patch) {
        if (current == NO_DATA || needSnapshot) {
            needSnapshot = true;
            return "a patch arrived before any snapshot";
        }
        long revision = current;
        if (patch.revision() <= revision) {
            log.debug("ignoring patch to revision {}: already at {}", patch.revision(), revision);
            return null;
        }
        if (patch.previous() != revision) {
            needSnapshot = true;
            return "missed changes: patch from revision " + patch.previous() + " while at " + revision;
        }
        sink.apply(patch); // the sink compiles only what the patch touches
        current = patch.revision();
        live(c);
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
    private final class Connection implements HttpResponse.BodySubscriber<Void> {
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        /** Whether it was opened with {@code Last-Event-ID}: then a heartbeat, not a snapshot, shows it is current. */
        final boolean resuming;
        /** Data came through it (guarded by the source's lock). */
        boolean live;
        private volatile Flow.Subscription subscription;
        /** When the server was last heard from: headers, bytes, or the end of handling an event. */
        private volatile long heardAt = System.nanoTime();
        /** An event is being handled: no silence meanwhile. */
        private volatile boolean busy;
        /** Why a 200 answer is not an event stream, or null. */
        private volatile String notAStream;
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        // Event assembly: touched only by the subscriber callbacks, which the HTTP client serialises.
        private final LineSplitter lines = new LineSplitter(this::onLine, MAX_EVENT_CHARS);
        private String eventName;
        private StringBuilder data;

        Connection(boolean resuming) {
            this.resuming = resuming;
        }

        HttpResponse.BodySubscriber<Void> handler(HttpResponse.ResponseInfo info) {
            heardAt = System.nanoTime();
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            String type = info.headers().firstValue("Content-Type").orElse("");
            if (!FeedHttp.isMediaType(type, "text/event-stream")) {
                notAStream = "the stream answered HTTP 200 with " + (type.isEmpty() ? "no Content-Type" : "Content-Type " + type)
                        + ", not an event stream (a proxy or a wrong base URI?)";
            }
            return this;
        }

        /** Marks this connection ended and cancels its body; true only the first time. */
        boolean abandon() {
            boolean first = ended.compareAndSet(false, true);
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            body.complete(null); // nothing waits for it: the end is handled here
            return first;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            String refusal = notAStream;
            if (refusal != null) {
                end(this, refusal, false); // cancels the body: nothing of it is read
            } else if (ended.get()) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            heardAt = System.nanoTime(); // bytes of a large event arriving are not silence
            for (ByteBuffer chunk : chunks) {
                if (ended.get()) {
                    return;
                }
                if (!lines.feed(chunk)) {
                    end(this, "a line exceeded " + MAX_EVENT_CHARS + " bytes", false);
                }
            }
        }

        private void onLine(String line) {
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
                if (data == null && eventName == null) {
                    onHeartbeat(this); // a comment between events: the heartbeat
                }
                return;
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
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            boolean cut = lines.hasPartialLine() || data != null || eventName != null;
            end(this, cut ? "the stream ended in the middle of an event" : null, false);
            body.complete(null);
        }
    }
}
