package dev.darklaunch.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open Server-Sent Events response: never compressed or buffered on the way, each event
 * written as it comes, ended once. A client that stops reading is cut off — it reconnects and
 * resumes — rather than making the server hold its events in memory.
 */
public final class EventStreamResponse {

    private static final Logger log = LoggerFactory.getLogger(EventStreamResponse.class);

    private final HttpServerResponse response;
    private final String description;
    private final Runnable forgotten;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param description what the stream carries, for the log
     * @param forgotten   runs once when the stream ends for any reason: the client left, a write
     *                    failed, the client fell behind, or {@link #close()}
     */
    public EventStreamResponse(HttpServerResponse response, String description, Runnable forgotten) {
        this.response = response;
        this.description = description;
        this.forgotten = forgotten;
    }

    /** Answers a HEAD request for a stream: the headers a stream starts with, and no stream. */
    public static void answerHead(HttpServerResponse response) {
        headers(response).end();
    }

    private static HttpServerResponse headers(HttpServerResponse response) {
        return response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache, no-store")
                // never compressed (a compressor buffers) and never buffered by a proxy
                .putHeader("Content-Encoding", "identity")
                .putHeader("X-Accel-Buffering", "no");
    }

    /** Sends the headers; from then on the client leaving or a failed write ends the stream. */
    public void start() {
        headers(response);
        response.closeHandler(v -> forget());
        response.exceptionHandler(e -> close());
        response.writeHead();
    }

    /** Writes one event (or comment); does nothing once the stream has ended. */
    public void send(Buffer event) {
        if (closed.get()) {
            return;
        }
        if (response.writeQueueFull()) {
            log.atInfo().addKeyValue("stream", description).log("closing a stream whose client does not keep up");
            close();
            return;
        }
        response.write(event);
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Ends the response (the client reconnects) and forgets the stream. */
    public void close() {
        if (forget()) {
            response.end().onFailure(e -> response.reset());
        }
    }

    /** Forgets the stream without ending the response (it is gone already); true the first time. */
    public boolean forget() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        forgotten.run();
        return true;
    }
}
