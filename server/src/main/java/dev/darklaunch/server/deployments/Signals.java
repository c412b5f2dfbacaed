package dev.darklaunch.server.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.darklaunch.server.projects.ProjectStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Signals from monitoring: an alert about one deployment, or a batch of alerts for an environment
 * (Alertmanager's webhook) matched to deployments by their labels — {@code service} names the
 * deployment's service, and {@code environment}, if present, must name this environment; the
 * service's latest deployment there is the one meant. Each acts through {@link Releases#signal},
 * once per alert however often it is delivered.
 */
public final class Signals {

    /** What one alert did: the deployment it matched (null: none) and the outcome ({@code unmatched}, {@code rolled_back}, …). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(String alert, String status, String fingerprint, Long deployment, String outcome) {
    }

    private final Pool pool;
    private final DeploymentStore store;
    private final Releases releases;

    public Signals(Pool pool, DeploymentStore store, Releases releases) {
        this.pool = pool;
        this.store = store;
        this.releases = releases;
    }

    Future<Outcome> toDeployment(String actor, String project, long id, Signal signal) {
        return releases.signal(actor, project, id, signal).map(outcome -> outcome(signal, id, outcome));
    }

    /** The alerts of one environment, one after the other, in the order sent; NotFound for an unknown environment. */
    Future<List<Outcome>> toEnvironment(String actor, String project, String environment, List<Signal> signals) {
        return ProjectStore.scope(pool, project, environment).compose(scope -> {
            Future<List<Outcome>> chain = Future.succeededFuture(new ArrayList<>());
            for (Signal signal : signals) {
                chain = chain.compose(done -> match(project, environment, signal)
                        .compose(id -> id == null
                                ? Future.succeededFuture(outcome(signal, null, "unmatched"))
                                : toDeployment(actor, project, id, signal))
                        .map(outcome -> {
                            done.add(outcome);
                            return done;
                        }));
            }
            return chain;
        });
    }

    /** The deployment an alert is about, or null. */
    private Future<Long> match(String project, String environment, Signal signal) {
        String service = signal.labels().get("service");
        String named = signal.labels().get("environment");
        if (service == null || (named != null && !named.equals(environment))) {
            return Future.succeededFuture(null);
        }
        return store.latestOf(pool, project, environment, service).map(found -> found.orElse(null));
    }

    private static Outcome outcome(Signal signal, Long deployment, String outcome) {
        return new Outcome(signal.name(), signal.status(), signal.fingerprint(), deployment, outcome);
    }
}
