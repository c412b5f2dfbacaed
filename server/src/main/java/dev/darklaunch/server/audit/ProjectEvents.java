package dev.darklaunch.server.audit;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.auth.Credentials;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.EventStreamResponse;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live audit events for the admin UI: {@code GET /api/v1/projects/{project}/events} streams every
 * committed audit event of a project as Server-Sent Events ({@code event: audit}, {@code id: seq},
 * the event as the audit API shows it), with heartbeats, resuming after {@code Last-Event-ID}.
 *
 * <p>Works across instances on one database: each stream reads the audit log from PostgreSQL after
 * the last sequence it settled. It is woken by the {@value #CHANNEL} notification that every audit
 * insert sends at commit (a trigger, so no writer can forget it), and a poll every
 * {@link #POLL} covers notifications lost while the LISTEN connection was down.
 *
 * <p><b>Sequence order is not commit order.</b> A transaction can take sequence 11, another take
 * 12 and commit first: reading "after the highest sequence sent" would then skip 11 for good. So
 * each stream walks the whole sequence in order (all projects; others' events are only counted)
 * and stops at a gap — a sequence not visible yet, which is either a transaction still in flight
 * or one that rolled back. It waits for the gap to fill for up to {@link #GAP_PATIENCE} (audit
 * rows are written at the end of short transactions, so a real one commits within milliseconds),
 * then counts it as rolled back and goes on. A gap before an event whose transaction started
 * longer than that ago is old history (a rollback long past) and is passed at once, so resuming
 * far back is not slowed by old gaps. Events therefore go out in sequence order, and the
 * {@code id} of the last event is a safe place to resume from: everything before it was sent or
 * never committed. Only a transaction that commits more than {@link #GAP_PATIENCE} after taking
 * its sequence could be missed.
 */
public final class ProjectEvents implements AutoCloseable {

    /** Notified with the project key on every audit insert (see migration V4__users_and_sessions). */
    public static final String CHANNEL = "darklaunch_audit";
    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration GAP_PATIENCE = Duration.ofSeconds(10);
    /** Streams one caller (user or token) may hold on one instance. */
    static final int MAX_STREAMS_PER_CALLER = 10;
    private static final int PAGE = 500;
    private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");
    private static final Logger log = LoggerFactory.getLogger(ProjectEvents.class);

    private final Vertx vertx;
    private final AuditStore audit;
    private final Credentials credentials;
    private final PgConnectOptions connectOptions;
    private final Duration heartbeat;
    /** Open streams by project; guarded by itself. */
    private final Map<String, Set<EventStream>> byProject = new HashMap<>();
    private PgSubscriber subscriber;
    private long pollTimer = -1;
    private long heartbeatTimer = -1;
    private volatile boolean closed;

    public ProjectEvents(Vertx vertx, AuditStore audit, Credentials credentials, PgConnectOptions connectOptions,
                         Duration heartbeat) {
        this.vertx = vertx;
        this.audit = audit;
        this.credentials = credentials;
        this.connectOptions = connectOptions;
        this.heartbeat = heartbeat;
    }

    public Future<Void> start() {
        subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(connectOptions).setReconnectAttempts(0))
                .reconnectPolicy(retries -> closed ? -1L : Math.min(5_000L, 250L << Math.min(retries, 5)));
        subscriber.channel(CHANNEL)
                .handler(this::committed)
                // also after a reconnect: whatever was committed meanwhile
                .subscribeHandler(v -> wakeAll());
        pollTimer = vertx.setPeriodic(POLL.toMillis(), id -> {
            wakeAll();
            checkCredentials();
        });
        heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> all().forEach(stream -> stream.send(HEARTBEAT)));
        return subscriber.connect();
    }

    /**
     * Starts a stream of the project's audit events on the response.
     *
     * @param after the sequence to resume after, or null to start with what is committed from now on
     * @throws Failure 429 beyond the caller's stream cap on this instance
     */
    public Future<Void> open(HttpServerResponse response, String project, Caller caller, Long after) {
        String owner = caller.user() != null ? "user:" + caller.user().id() : "token:" + caller.token().id();
        EventStream stream = new EventStream(response, project, caller, owner);
        synchronized (byProject) {
            long held = all().stream().filter(s -> s.owner.equals(owner)).count();
            if (held >= MAX_STREAMS_PER_CALLER) {
                throw Failure.tooManyRequests("you already have " + held + " event streams open on this server, the most "
                        + "one caller may hold; close one (each browser tab holds one per project)");
            }
            byProject.computeIfAbsent(project, p -> new HashSet<>()).add(stream);
        }
        Future<Long> start = after != null ? Future.succeededFuture(after) : audit.latest();
        return start.onFailure(e -> stream.events.forget()).map(cursor -> {
            stream.cursor = cursor;
            stream.events.start();
            stream.send(Buffer.buffer(": audit events of " + project + " after " + cursor + "\n\n"));
            stream.catchUp();
            return null;
        });
    }

    /** Ends every stream (the UI reconnects elsewhere) and stops listening. */
    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(pollTimer);
        vertx.cancelTimer(heartbeatTimer);
        all().forEach(EventStream::close);
        if (subscriber != null) {
            subscriber.close();
        }
    }

    public int openStreams() {
        return all().size();
    }

    private void committed(String project) {
        List<EventStream> streams;
        synchronized (byProject) {
            streams = List.copyOf(byProject.getOrDefault(project, Set.of()));
        }
        streams.forEach(EventStream::catchUp);
    }

    private void wakeAll() {
        if (!closed) {
            all().forEach(EventStream::catchUp);
        }
    }

    private List<EventStream> all() {
        synchronized (byProject) {
            List<EventStream> all = new ArrayList<>();
            byProject.values().forEach(all::addAll);
            return all;
        }
    }

    /** Ends streams whose session ended or whose token was revoked. */
    private void checkCredentials() {
        List<EventStream> streams = all();
        Set<Long> sessions = new HashSet<>();
        Set<Long> tokens = new HashSet<>();
        for (EventStream stream : streams) {
            if (stream.caller.session() != null) {
                sessions.add(stream.caller.session().id());
            } else {
                tokens.add(stream.caller.token().id());
            }
        }
        if (sessions.isEmpty() && tokens.isEmpty()) {
            return;
        }
        Future.all(credentials.liveSessions(sessions), credentials.activeTokens(tokens)).onSuccess(live -> {
            Set<Long> liveSessions = live.resultAt(0);
            Set<Long> activeTokens = live.resultAt(1);
            for (EventStream stream : streams) {
                boolean valid = stream.caller.session() != null
                        ? liveSessions.contains(stream.caller.session().id())
                        : activeTokens.contains(stream.caller.token().id());
                if (!valid) {
                    stream.close();
                }
            }
        });
    }

    /** One open SSE response and how far through the audit sequence it is. */
    private final class EventStream {
        final EventStreamResponse events;
        final String project;
        final Caller caller;
        final String owner;
        /** Every sequence up to here was sent (if the project's) or is settled as never to come. */
        volatile long cursor;
        /** The first sequence found missing after the cursor, and since when (nanoTime). */
        long gap = -1;
        long gapSince;
        boolean busy;
        boolean again;

        EventStream(HttpServerResponse response, String project, Caller caller, String owner) {
            this.events = new EventStreamResponse(response, "audit events of " + project, this::forgotten);
            this.project = project;
            this.caller = caller;
            this.owner = owner;
        }

        /** Reads and sends what was committed after the cursor; wake-ups during a catch-up run another after it. */
        void catchUp() {
            synchronized (this) {
                if (events.isClosed()) {
                    return;
                }
                if (busy) {
                    again = true;
                    return;
                }
                busy = true;
            }
            audit.following(cursor, project, PAGE)
                    .map(this::advance)
                    .onFailure(e -> log.atDebug().setCause(e).log("audit events: cannot read the audit log now; retrying at the next poll"))
                    .onComplete(done -> {
                        boolean more;
                        synchronized (this) {
                            busy = false;
                            more = again || (done.succeeded() && done.result());
                            again = false;
                        }
                        if (more && !events.isClosed()) {
                            catchUp();
                        }
                    });
        }

        /** Sends the project's events in sequence order up to the first young gap; true if a full page was read. */
        boolean advance(List<AuditStore.Next> page) {
            long expected = cursor + 1;
            for (AuditStore.Next next : page) {
                if (next.seq() > expected && next.ageMillis() < GAP_PATIENCE.toMillis()) {
                    if (gap != expected) {
                        gap = expected;
                        gapSince = System.nanoTime();
                    }
                    if (System.nanoTime() - gapSince < GAP_PATIENCE.toNanos()) {
                        return false; // a transaction still in flight, probably: wait for it
                    }
                    log.atDebug().addKeyValue("from", expected).addKeyValue("to", next.seq() - 1)
                            .log("audit events: a gap in the sequence did not fill; counted as rolled back");
                }
                if (next.event() != null) {
                    send(event(next.event()));
                }
                cursor = next.seq();
                expected = cursor + 1;
                gap = -1;
            }
            return page.size() == PAGE;
        }

        void send(Buffer event) {
            events.send(event);
        }

        void close() {
            events.close();
        }

        private void forgotten() {
            synchronized (byProject) {
                Set<EventStream> streams = byProject.get(project);
                if (streams != null) {
                    streams.remove(this);
                    if (streams.isEmpty()) {
                        byProject.remove(project);
                    }
                }
            }
        }
    }

    static Buffer event(AuditEvent event) {
        return Buffer.buffer(("event: audit\nid: " + event.seq() + "\ndata: " + Json.write(event) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
