package dev.darklaunch.server.deployments;

import java.time.Duration;
import java.time.OffsetDateTime;

/** A release step as its row holds it: the plan's step, when it falls due and when it was applied (null: not yet). */
record StoredStep(int position, int weight, OffsetDateTime at, Long afterMillis, OffsetDateTime dueAt,
                  OffsetDateTime appliedAt) {

    ReleasePlan.Step planned() {
        return new ReleasePlan.Step(weight, at, afterMillis == null ? null : Duration.ofMillis(afterMillis));
    }
}
