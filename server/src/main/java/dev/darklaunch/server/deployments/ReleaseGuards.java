package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.server.deployments.GuardStore.StoredGuard;
import dev.darklaunch.server.guards.GuardCheck;
import dev.darklaunch.server.guards.GuardSamples;
import dev.darklaunch.server.guards.GuardSpec;
import dev.darklaunch.server.guards.SequentialComparison.Evidence;
import dev.darklaunch.server.guards.SequentialComparison.Verdict;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A look of a running release's guards at what the application measured: for each guard that is
 * counting and each of the deployment's flags, the released variation ({@code true}, the
 * treatment) against every other (the control), with the sequential test. A guard's state is its
 * worst flag's (a regression, else too few samples, else none), recorded for the API at each
 * look. Runs on the locked deployment, in the transaction that may then take a step or act.
 */
final class ReleaseGuards {

    /** Who acts when a guard finds a regression. */
    static final String ACTOR = "policy:guard";

    /** What one guard found: on which flag, and the evidence. */
    record Finding(StoredGuard guard, String flag, Evidence evidence) {
        GuardSpec spec() {
            return guard.spec();
        }

        GuardEvidence state() {
            return GuardEvidence.of(guard.spec(), flag, evidence);
        }
    }

    /**
     * What a look found: whether the release has guards at all (then at most one step advances
     * per look), and each counting guard's finding.
     */
    record Look(boolean guarded, List<Finding> findings) {
        static final Look NONE = new Look(false, List.of());

        /** The first guard that found a regression. */
        Optional<Finding> regression() {
            return findings.stream().filter(f -> f.evidence().verdict() == Verdict.REGRESSION).findFirst();
        }

        /** The first guard that holds the next step back (too few samples, or a regression). */
        Optional<Finding> holdingBack() {
            return findings.stream().filter(f -> f.evidence().verdict() != Verdict.NO_REGRESSION).findFirst();
        }
    }

    private final DeploymentStore store;

    ReleaseGuards(DeploymentStore store) {
        this.store = store;
    }

    Future<Look> look(SqlClient tx, StoredDeployment running) {
        return GuardStore.guards(tx, running.id()).compose(guards -> {
            List<StoredGuard> counting = guards.stream().filter(g -> g.startedAt() != null).toList();
            if (counting.isEmpty()) {
                return Future.succeededFuture(new Look(!guards.isEmpty(), List.of()));
            }
            return store.shippedFlags(tx, List.of(running.id()))
                    .map(flags -> flags.getOrDefault(running.id(), List.of()).stream()
                            .filter(f -> f.flag() != null && f.flag().kind() == FlagKind.BOOLEAN).toList())
                    .compose(flags -> {
                        Future<List<Finding>> chain = Future.succeededFuture(new ArrayList<>());
                        for (StoredGuard guard : counting) {
                            chain = chain.compose(found -> look(tx, running, guard, flags).map(finding -> {
                                finding.ifPresent(found::add);
                                return found;
                            }));
                        }
                        return chain.map(found -> new Look(true, found));
                    });
        });
    }

    /** One guard's look at every flag: the worst flag's finding, recorded as the guard's state. */
    private static Future<Optional<Finding>> look(SqlClient tx, StoredDeployment running, StoredGuard guard,
                                                   List<DeploymentStore.ShippedFlagRow> flags) {
        GuardSpec spec = guard.spec();
        List<String> events = Stream.of(spec.event(), spec.per()).filter(e -> e != null).toList();
        Future<List<Finding>> chain = Future.succeededFuture(new ArrayList<>());
        for (DeploymentStore.ShippedFlagRow flag : flags) {
            chain = chain.compose(found -> GuardSamples.since(tx, running.environmentId(), flag.key(),
                            flag.flag().indexOfBoolean(true), guard.startedAt(), events)
                    .map(samples -> {
                        found.add(new Finding(guard, flag.key(), GuardCheck.compare(spec, samples)));
                        return found;
                    }));
        }
        return chain.compose(found -> {
            Optional<Finding> worst = found.stream().min(Comparator.comparingInt(f -> severity(f.evidence().verdict())));
            return worst.isEmpty() ? Future.succeededFuture(worst)
                    : GuardStore.saveState(tx, running.id(), guard.position(), worst.get().state()).map(worst);
        });
    }

    private static int severity(Verdict verdict) {
        return switch (verdict) {
            case REGRESSION -> 0;
            case TOO_FEW -> 1;
            case NO_REGRESSION -> 2;
        };
    }
}
