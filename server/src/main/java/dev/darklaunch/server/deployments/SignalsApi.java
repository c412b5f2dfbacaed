package dev.darklaunch.server.deployments;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Signals from monitoring, authenticated like pipelines (whoever may deploy to the environment):
 * {@code POST …/deployments/{id}/signals} takes one alert about a deployment;
 * {@code POST …/environments/{env}/alerts} takes Prometheus Alertmanager's webhook as it is sent
 * (or just {@code {"alerts": […]}}) and matches each alert to a deployment by its labels.
 */
public final class SignalsApi {

    static final int MAX_ALERTS = 1_000;

    /**
     * Alertmanager's webhook body (version 4); only {@code alerts} is read, the rest is accepted as
     * Alertmanager sends it.
     */
    record AlertmanagerBody(String version, String groupKey, Integer truncatedAlerts, String status, String receiver,
                            Map<String, String> groupLabels, Map<String, String> commonLabels,
                            Map<String, String> commonAnnotations, String externalURL, List<Signal.AlertBody> alerts) {
    }

    private final Signals signals;
    private final DeploymentRecords deployments;

    public SignalsApi(Signals signals, DeploymentRecords deployments) {
        this.signals = signals;
        this.deployments = deployments;
    }

    public void mount(Router router) {
        router.post("/api/v1/projects/:project/deployments/:id/signals").handler(this::toDeployment);
        router.post("/api/v1/projects/:project/environments/:env/alerts").handler(this::toEnvironment);
    }

    private void toDeployment(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        long id = DeploymentsApi.id(ctx);
        Signal signal = Signal.of("", JsonBody.read(ctx, Signal.AlertBody.class).value());
        caller.requireRead(project);
        deployments.environmentOf(project, id)
                .compose(environment -> {
                    caller.requireDeploy(project, environment);
                    return signals.toDeployment(caller.actor(), project, id, signal);
                })
                .onSuccess(outcome -> Responses.ok(ctx, outcome))
                .onFailure(ctx::fail);
    }

    private void toEnvironment(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        String environment = ctx.pathParam("env");
        Caller caller = Caller.of(ctx);
        caller.requireDeploy(project, environment);
        AlertmanagerBody body = JsonBody.read(ctx, AlertmanagerBody.class).value();
        if (body.alerts() == null) {
            throw Failure.invalid("alerts", "alerts is required: the alerts, as Alertmanager's webhook sends them");
        }
        if (body.alerts().size() > MAX_ALERTS) {
            throw Failure.invalid("alerts", "at most " + MAX_ALERTS + " alerts per request");
        }
        List<Signal> parsed = new ArrayList<>();
        for (int i = 0; i < body.alerts().size(); i++) {
            parsed.add(Signal.of("alerts[" + i + "]", body.alerts().get(i)));
        }
        signals.toEnvironment(caller.actor(), project, environment, parsed)
                .onSuccess(outcomes -> Responses.ok(ctx, Map.of("items", outcomes)))
                .onFailure(ctx::fail);
    }
}
