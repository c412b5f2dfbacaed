package dev.darklaunch.server.webhooks;

import dev.darklaunch.server.failures.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends one signed delivery: the receiver's name is resolved and checked off the event loop
 * ({@link Destinations}), the request goes to the checked address with the name kept for
 * {@code Host} and TLS, no redirect is followed, the whole attempt is bounded by the timeout and
 * at most {@link #MAX_RESPONSE_BYTES} of the answer are kept. Never fails its future: every
 * outcome is an {@link Attempt}.
 */
final class Sender implements AutoCloseable {

    static final int MAX_RESPONSE_BYTES = 1024;
    private static final String USER_AGENT = "Darklaunch-Webhooks/1";

    private final Vertx vertx;
    private final HttpClient client;
    private final Destinations destinations;
    private final Duration timeout;

    Sender(Vertx vertx, Destinations destinations, Duration timeout) {
        this.vertx = vertx;
        this.destinations = destinations;
        this.timeout = timeout;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(false) // one connection per delivery, to the address checked for it
                .setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout((int) timeout.toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxRedirects(0)
                .setVerifyHost(true));
    }

    Future<Attempt> send(WebhookStore.Pending pending) {
        long started = System.nanoTime();
        Destinations.Target target;
        try {
            target = Destinations.parse(pending.url());
        } catch (Failure.Invalid e) {
            return Future.succeededFuture(new Attempt(null, e.getMessage(), null, 0));
        }
        byte[] body = Payloads.body(pending.format(), pending.webhook(), pending.event());
        Future<InetAddress> address = vertx.executeBlocking(() -> destinations.resolve(target), false);
        return address.compose(checked -> request(target, checked, pending, body))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .map(answer -> new Attempt(answer.status(), answer.status() / 100 == 2 ? null : "the receiver answered "
                        + answer.status(), answer.text(), millisSince(started)))
                .otherwise(e -> new Attempt(null, reason(e), null, millisSince(started)));
    }

    private record Answer(int status, String text) {
    }

    private Future<Answer> request(Destinations.Target target, InetAddress address, WebhookStore.Pending pending, byte[] body) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.tls())
                .setURI(target.path())
                .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis())
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", USER_AGENT)
                .putHeader(Signature.HEADER, Signature.of(pending.secret(), body))
                .putHeader("X-Darklaunch-Delivery", Delivery.id(pending.webhook(), pending.event().seq()))
                .putHeader("X-Darklaunch-Event", pending.event().action());
        return client.request(options).compose(request -> {
            Promise<Answer> answered = Promise.promise();
            request.response().onFailure(answered::tryFail).onSuccess(response -> {
                Buffer kept = Buffer.buffer();
                response.exceptionHandler(answered::tryFail);
                response.handler(chunk -> {
                    int room = MAX_RESPONSE_BYTES - kept.length();
                    if (room > 0) {
                        kept.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, room));
                    } else {
                        // enough read: the status decides; the rest is not worth the wait
                        answered.tryComplete(new Answer(response.statusCode(), text(kept)));
                        request.reset();
                    }
                });
                response.endHandler(v -> answered.tryComplete(new Answer(response.statusCode(), text(kept))));
            });
            request.end(Buffer.buffer(body)).onFailure(answered::tryFail);
            return answered.future();
        });
    }

    private static String text(Buffer buffer) {
        String text = new String(buffer.getBytes(), StandardCharsets.UTF_8).replace('\0', ' ');
        return text.isEmpty() ? null : text;
    }

    private static String reason(Throwable e) {
        if (e instanceof Failure.Invalid invalid) {
            return invalid.getMessage();
        }
        if (e.getClass().getSimpleName().contains("Timeout")) {
            return "no answer within the timeout";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host: " + e.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Override
    public void close() {
        client.close();
    }
}
