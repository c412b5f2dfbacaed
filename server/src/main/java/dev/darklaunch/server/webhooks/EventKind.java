package dev.darklaunch.server.webhooks;

import java.util.Arrays;
import java.util.List;

/**
 * The kinds of audit events a webhook can ask for. Which actions each covers is said once, in SQL,
 * in {@link WebhookStore} (the outbox selects events there); a guard's actions count both as
 * {@code guards} and as what they changed (a flag, a deployment).
 */
enum EventKind {
    FLAGS("flags"), SEGMENTS("segments"), ENVIRONMENTS("environments"), DEPLOYMENTS("deployments"), GUARDS("guards");

    static final List<String> ALL = Arrays.stream(values()).map(EventKind::wire).toList();

    private final String wire;

    EventKind(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static boolean known(String wire) {
        return ALL.contains(wire);
    }
}
