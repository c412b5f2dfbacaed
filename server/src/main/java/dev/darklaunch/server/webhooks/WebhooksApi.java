package dev.darklaunch.server.webhooks;

import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.QueryParams;
import dev.darklaunch.server.http.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/projects/{project}/webhooks}: a project's webhooks, their delivery log, redelivery
 * and secret rotation. Every route, reads included, needs the right to edit the project (admin
 * tokens, editor and admin users), as environments do: a webhook sends the project's changes
 * wherever its URL says, and URLs (a Slack incoming-webhook URL, say) are secrets themselves.
 * The signing secret is in the answer to its creation and to a rotation, and nowhere else.
 */
public final class WebhooksApi {

    /** Body of POST (every field but url optional) and PATCH (every field optional). */
    public record WebhookRequest(String name, String url, List<String> events, String format, Boolean enabled) {
    }

    static final int MAX_NAME_LENGTH = 100;

    private final WebhookStore store;
    private final Destinations destinations;
    private final Outbox outbox;

    public WebhooksApi(Webhooks webhooks) {
        this.store = webhooks.store();
        this.destinations = webhooks.destinations();
        this.outbox = webhooks.outbox();
    }

    public void mount(Router router) {
        String base = "/api/v1/projects/:project/webhooks";
        router.get(base).handler(this::list);
        router.post(base).handler(this::create);
        router.get(base + "/:webhook").handler(this::get);
        router.patch(base + "/:webhook").handler(this::update);
        router.delete(base + "/:webhook").handler(this::delete);
        router.post(base + "/:webhook/secret").handler(this::rotate);
        router.get(base + "/:webhook/deliveries").handler(this::deliveries);
        router.post(base + "/:webhook/deliveries/:event/redeliver").handler(this::redeliver);
    }

    private void list(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireEdit(project);
        Responses.list(ctx, store.list(project));
    }

    private void get(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireEdit(project);
        store.get(project, id(ctx)).onSuccess(hook -> Responses.ok(ctx, hook)).onFailure(ctx::fail);
    }

    private void create(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        JsonBody.Body<WebhookRequest> body = JsonBody.read(ctx, WebhookRequest.class);
        WebhookRequest request = body.value();
        WebhookStore.Definition definition = new WebhookStore.Definition(
                name(request.name() == null ? "" : request.name()),
                url(request.url()),
                request.events() == null ? EventKind.ALL : events(request.events()),
                request.format() == null ? "json" : format(request.format()),
                request.enabled() == null || request.enabled());
        String secret = Signature.newSecret();
        store.create(caller.actor(), project, definition, secret, body.comment())
                .onSuccess(created -> {
                    ctx.response().putHeader("Cache-Control", "no-store");
                    ctx.response().putHeader("Location", "/api/v1/projects/" + project + "/webhooks/" + created.id());
                    Responses.json(ctx, 201, withSecret(created, secret));
                })
                .onFailure(ctx::fail);
    }

    private void update(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        long id = id(ctx);
        JsonBody.Body<WebhookRequest> body = JsonBody.read(ctx, WebhookRequest.class);
        WebhookRequest change = body.value();
        // every field checked before anything is read or written
        String name = change.name() == null ? null : name(change.name());
        String url = change.url() == null ? null : url(change.url());
        List<String> events = change.events() == null ? null : events(change.events());
        String format = change.format() == null ? null : format(change.format());
        store.get(project, id)
                .compose(current -> store.update(caller.actor(), project, id, new WebhookStore.Definition(
                        name != null ? name : current.name(), url != null ? url : current.url(),
                        events != null ? events : current.events(), format != null ? format : current.format(),
                        change.enabled() != null ? change.enabled() : current.enabled()), body.comment()))
                .onSuccess(updated -> Responses.ok(ctx, updated))
                .onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        store.delete(caller.actor(), project, id(ctx), JsonBody.commentOnly(ctx))
                .onSuccess(v -> Responses.noContent(ctx))
                .onFailure(ctx::fail);
    }

    private void rotate(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        String secret = Signature.newSecret();
        store.rotate(caller.actor(), project, id(ctx), secret, JsonBody.commentOnly(ctx))
                .onSuccess(hook -> {
                    ctx.response().putHeader("Cache-Control", "no-store");
                    Responses.ok(ctx, withSecret(hook, secret));
                })
                .onFailure(ctx::fail);
    }

    private void deliveries(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireEdit(project);
        store.deliveries(project, id(ctx), QueryParams.paging(ctx))
                .onSuccess(page -> Responses.page(ctx, page.items(), page.next()))
                .onFailure(ctx::fail);
    }

    private void redeliver(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireEdit(project);
        long id = id(ctx);
        long event = number(ctx, "event", "no event ");
        JsonBody.commentOnly(ctx);
        store.event(project, id, event)
                .compose(outbox::redeliver)
                .onSuccess(delivery -> Responses.ok(ctx, delivery))
                .onFailure(ctx::fail);
    }

    private static Map<String, Object> withSecret(Webhook hook, String secret) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("webhook", hook);
        answer.put("secret", secret);
        return answer;
    }

    private static String name(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
            throw Failure.invalid("name", "name is required: 1 to " + MAX_NAME_LENGTH + " characters that say where the events go");
        }
        return trimmed;
    }

    private String url(String url) {
        return destinations.check(url == null ? null : url.strip()).uri().toString();
    }

    private static List<String> events(List<String> events) {
        if (events.isEmpty()) {
            throw Failure.invalid("events", "events needs at least one of " + EventKind.ALL + " (leave it out for all)");
        }
        LinkedHashSet<String> kinds = new LinkedHashSet<>();
        for (String kind : events) {
            if (kind == null || !EventKind.known(kind)) {
                throw Failure.invalid("events", "unknown event kind '" + kind + "'; the kinds are " + EventKind.ALL);
            }
            kinds.add(kind);
        }
        return List.copyOf(kinds);
    }

    private static String format(String format) {
        if (!format.equals("json") && !format.equals("slack")) {
            throw Failure.invalid("format", "format is json (the event, signed) or slack (a sentence as {\"text\": …})");
        }
        return format;
    }

    private static long id(RoutingContext ctx) {
        return number(ctx, "webhook", "no webhook ");
    }

    private static long number(RoutingContext ctx, String param, String notFound) {
        try {
            return Long.parseLong(ctx.pathParam(param));
        } catch (NumberFormatException e) {
            throw Failure.notFound(notFound + ctx.pathParam(param));
        }
    }
}
