package dev.darklaunch.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes JSON responses; versioned resources carry their version as a strong ETag. */
public final class Responses {

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Buffer.buffer(bytes));
    }

    public static void ok(RoutingContext ctx, Object body) {
        json(ctx, 200, body);
    }

    public static void versioned(RoutingContext ctx, int status, long version, Object body) {
        ctx.response().putHeader("ETag", Versions.etag(version));
        json(ctx, status, body);
    }

    public static void created(RoutingContext ctx, String location, long version, Object body) {
        ctx.response().putHeader("Location", location);
        versioned(ctx, 201, version, body);
    }

    /** Answers 200 with the resource and its ETag, or fails the request with the future's error. */
    public static void reply(RoutingContext ctx, Future<? extends Versioned> resource) {
        resource.onSuccess(value -> versioned(ctx, 200, value.version(), value)).onFailure(ctx::fail);
    }

    /** Answers 200 with {@code {"items": […]}}. */
    public static void list(RoutingContext ctx, Future<? extends List<?>> items) {
        items.onSuccess(list -> ok(ctx, Map.of("items", list))).onFailure(ctx::fail);
    }

    /** Answers 200 with {@code {"items": […], "next": cursor or null}}. */
    public static void page(RoutingContext ctx, List<?> items, String next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next", next);
        ok(ctx, body);
    }

    public static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }
}
