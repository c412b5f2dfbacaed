package dev.darklaunch.server.http;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Paging;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.util.Optional;

/** Reads optional query parameters strictly: a bad one fails the request with 400 naming it. */
public final class QueryParams {

    private static final int MAX_LENGTH = 200;

    private QueryParams() {
    }

    /** Text of at most 200 characters, stripped; empty when absent or blank. */
    public static Optional<String> text(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.length() > MAX_LENGTH || value.indexOf('\0') >= 0) {
            throw Failure.invalid(name, name + " must be at most " + MAX_LENGTH + " characters of text");
        }
        return Optional.of(value.strip());
    }

    /** A whole number; {@code what} says what it identifies, for the error message. */
    public static Optional<Long> number(RoutingContext ctx, String name, String what) {
        return text(ctx, name).map(value -> {
            try {
                return Long.valueOf(value);
            } catch (NumberFormatException e) {
                throw Failure.invalid(name, name + " must be " + what + " (a whole number)");
            }
        });
    }

    /** The page asked for with {@code limit} and {@code cursor}. */
    public static Paging paging(RoutingContext ctx) {
        return Paging.of(ctx.request().getParam("limit"), ctx.request().getParam("cursor"));
    }

    /** A time with an offset, within {@link Times}' range. */
    public static Optional<OffsetDateTime> time(RoutingContext ctx, String name) {
        return text(ctx, name).map(value -> Times.parse(name, value));
    }

    /** One of the given values. */
    public static Optional<String> oneOf(RoutingContext ctx, String name, java.util.List<String> allowed) {
        return text(ctx, name).map(value -> {
            if (!allowed.contains(value)) {
                throw Failure.invalid(name, name + " must be one of " + String.join(", ", allowed));
            }
            return value;
        });
    }
}
