package dev.darklaunch.server.feed;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.server.store.Json;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One environment's data at one revision, serialized once for every SDK that asks: the body of
 * {@code GET /sdk/v1/flags}, its ETag, and the SSE {@code snapshot} event.
 */
record Snapshot(EnvironmentData data, Buffer json, String etag, Buffer event) {

    static Snapshot of(EnvironmentData data) {
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("environment data is not serializable", e);
        }
        return new Snapshot(data, Buffer.buffer(json), "\"" + data.revision() + "\"",
                event("snapshot", data.revision(), json));
    }

    long revision() {
        return data.revision();
    }

    /** An SSE event; JSON written by Jackson has no raw line breaks, so one data line suffices. */
    static Buffer event(String name, long id, byte[] json) {
        byte[] head = ("event: " + name + "\nid: " + id + "\ndata: ").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(head.length + json.length + 2).appendBytes(head).appendBytes(json).appendString("\n\n");
    }
}
