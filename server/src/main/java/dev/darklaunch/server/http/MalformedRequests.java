package dev.darklaunch.server.http;

import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Json;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP codec could not read (a request line or headers over their limits,
 * text that is not HTTP/1.1) before any route sees them. Vert.x's own answer is a bare status
 * with an empty body; this one is the API's {@code {error, message}} JSON like every other
 * refusal, and says which limit was passed. The connection is closed afterwards, as Vert.x does:
 * after a request it could not read, the stream cannot be trusted to be at a request boundary.
 */
public final class MalformedRequests implements Handler<HttpServerRequest> {

    private final int maxRequestLine;
    private final int maxHeaders;

    public MalformedRequests(HttpServerOptions options) {
        this.maxRequestLine = options.getMaxInitialLineLength();
        this.maxHeaders = options.getMaxHeaderSize();
    }

    @Override
    public void handle(HttpServerRequest request) {
        ApiError error = refusal(request.decoderResult().cause());
        request.response()
                .setStatusCode(error.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Connection", "close")
                .end(Buffer.buffer(Json.write(Failures.body(error))))
                .onComplete(done -> request.connection().close());
    }

    ApiError refusal(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ApiError.of(414, "uri_too_long", "the request line (method, path and query) is longer than "
                    + maxRequestLine + " bytes; send long values in a JSON body instead");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ApiError.of(431, "headers_too_large", "the request headers are larger than " + maxHeaders
                    + " bytes together; send fewer or shorter headers (large cookies?)");
        }
        return Failures.answer(Failure.invalid("the request is not valid HTTP/1.1 (its request line or a header is malformed)"));
    }
}
