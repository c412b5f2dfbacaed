package dev.darklaunch.server.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Webhooks on one server instance: the settings' destination rules, the sender, the outbox that
 * delivers, for the API to share. Built by the composition root with the store it was given.
 */
public final class Webhooks {

    private final WebhookStore store;
    private final Destinations destinations;
    private final Outbox outbox;

    /**
     * @param databaseHost where the server's database is (refused as a receiver, see {@link Destinations})
     * @param databasePort its port
     */
    public Webhooks(Vertx vertx, WebhookStore store, WebhookSettings settings, String databaseHost, int databasePort) {
        this.store = store;
        this.destinations = new Destinations(settings.privateAddresses(), databaseHost, databasePort);
        this.outbox = new Outbox(vertx, store, new Sender(vertx, destinations, settings.timeout()), settings);
    }

    public void start() {
        outbox.start();
    }

    public Future<Void> close() {
        return outbox.close();
    }

    WebhookStore store() {
        return store;
    }

    Destinations destinations() {
        return destinations;
    }

    Outbox outbox() {
        return outbox;
    }
}
