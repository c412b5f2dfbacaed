package dev.darklaunch.server.http;

import dev.darklaunch.server.failures.Failure;
import io.vertx.ext.web.RoutingContext;

import java.util.OptionalLong;

/**
 * Optimistic concurrency as HTTP spells it: every mutable resource has a version, reads return it as
 * {@code ETag: "<version>"}, and writes that send {@code If-Match} only apply to that version
 * (checked by {@link dev.darklaunch.server.store.Versioned#check}).
 */
public final class Versions {

    private Versions() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * Whether an {@code If-None-Match} header names this entity tag (or {@code *}): the client
     * already has what it would get, so the answer is 304. Weak tags compare by their value.
     */
    public static boolean noneMatchHits(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.trim();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.equals("*") || value.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** The version named by If-Match, or empty when the caller did not ask for a check. */
    public static OptionalLong ifMatch(RoutingContext ctx) {
        String header = ctx.request().getHeader("If-Match");
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return OptionalLong.empty();
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(version);
        } catch (NumberFormatException e) {
            throw Failure.invalid("If-Match", "If-Match must be an ETag returned by a read, such as \"3\"");
        }
    }
}
