package dev.darklaunch.server.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers the audit log to webhooks, on every instance. Each poll claims the webhooks that have
 * events due and that no instance holds (a lease taken with {@code FOR UPDATE SKIP LOCKED}, longer
 * than any attempt), then sends each one's events one after another, in (transaction, sequence)
 * order: the cursor moves past an event only in the transaction that records its successful
 * delivery, and only while the lease is still held. A failed attempt lets the webhook go until the
 * backoff has passed; the same event is tried again then, so nothing is skipped and order holds.
 *
 * <p>A receiver sees an event twice only if this instance stops between the receiver's answer and
 * that transaction's commit (or stalls past its lease): the {@code X-Darklaunch-Delivery} id is
 * then the same, so receivers can drop the repeat. {@link #close} waits for deliveries in flight,
 * so a graceful restart causes none.
 */
public final class Outbox {

    /** Webhooks one instance takes per poll. */
    private static final int CLAIM = 20;
    /** Events delivered per webhook before it is let go, so one busy webhook cannot starve others. */
    private static final int EVENTS_PER_TURN = 50;
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Vertx vertx;
    private final WebhookStore store;
    private final Sender sender;
    private final WebhookSettings settings;
    private final String owner = UUID.randomUUID().toString();
    private final AtomicInteger inFlight = new AtomicInteger();
    private long timer = -1;
    private volatile boolean polling;
    private volatile boolean closed;

    Outbox(Vertx vertx, WebhookStore store, Sender sender, WebhookSettings settings) {
        this.vertx = vertx;
        this.store = store;
        this.sender = sender;
        this.settings = settings;
    }

    public void start() {
        timer = vertx.setPeriodic(settings.poll().toMillis(), id -> poll());
    }

    private void poll() {
        if (closed || polling) {
            return;
        }
        polling = true;
        inFlight.incrementAndGet(); // the whole turn, until every claimed webhook is let go
        store.claim(owner, settings.lease().toMillis(), CLAIM)
                .compose(ids -> Future.join(ids.stream().map(id -> deliver(id, EVENTS_PER_TURN)).toList()))
                .onFailure(e -> log.atWarn().addKeyValue("error", e.toString()).log("webhook deliveries paused by an error"))
                .onComplete(done -> {
                    polling = false;
                    inFlight.decrementAndGet();
                });
    }

    /** Sends the webhook's due events, one at a time, then lets it go. */
    private Future<Void> deliver(long webhook, int left) {
        if (closed || left == 0) {
            return store.release(webhook, owner, false);
        }
        return store.next(webhook, owner)
                .compose(next -> next.isEmpty() ? store.release(webhook, owner, true).map(false) : send(next.get()))
                .compose(more -> more ? deliver(webhook, left - 1) : Future.succeededFuture())
                .recover(e -> {
                    log.atWarn().addKeyValue("webhook", webhook).addKeyValue("error", e.toString()).log("webhook delivery stopped");
                    return Future.succeededFuture();
                });
    }

    /** One attempt; true when the next event may follow. */
    private Future<Boolean> send(WebhookStore.Pending pending) {
        return sender.send(pending).compose(attempt -> {
            if (attempt.succeeded()) {
                return store.delivered(owner, pending, attempt, settings.lease().toMillis());
            }
            long wait = settings.backoff().after(pending.failures() + 1).toMillis();
            return store.failed(owner, pending, attempt, wait).map(false);
        });
    }

    /** Sends one past event again, out of band: same delivery id, logged as a redelivery. */
    Future<Delivery> redeliver(WebhookStore.Pending pending) {
        return sender.send(pending).compose(attempt -> store.redelivered(pending, attempt));
    }

    /** Stops polling and waits (up to the lease) for the turn in flight to record its outcomes and let go. */
    public Future<Void> close() {
        closed = true;
        vertx.cancelTimer(timer);
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        awaitIdle(System.nanoTime() + settings.lease().toNanos(), done);
        return done.future().onComplete(v -> sender.close());
    }

    private void awaitIdle(long deadline, io.vertx.core.Promise<Void> done) {
        if (inFlight.get() == 0 || System.nanoTime() > deadline) {
            done.tryComplete();
        } else {
            vertx.setTimer(20, id -> awaitIdle(deadline, done));
        }
    }
}
