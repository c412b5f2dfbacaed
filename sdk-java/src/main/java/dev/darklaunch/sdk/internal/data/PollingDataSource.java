package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@code GET /sdk/v1/flags} every interval with {@code If-None-Match}, so an unchanged
 * environment costs a 304. After a 401/403 waits {@link FeedTimings#unauthorizedRetry()} and logs
 * that once. A 200 that is not JSON flag data (a proxy's page, an empty or cut body) is a failure.
 * Keeps the last good data through every error; logs each kind of failure once until a poll
 * succeeds again. No threads of its own.
 */
public final class PollingDataSource implements DataSource {

    private static final Logger log = LoggerFactory.getLogger(PollingDataSource.class);

    private final FeedHttp http;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Object lock = new Object();
    private DataSink sink;
    private String etag;
    private boolean closed;
    private boolean unauthorizedLogged;
    /** The failure last logged at WARN; the same one again is logged at DEBUG until a poll succeeds. */
    private String failureLogged;
    private ScheduledFuture<?> next;

    public PollingDataSource(FeedHttp http, ScheduledExecutorService scheduler, Duration interval) {
        this.http = http;
        this.scheduler = scheduler;
        this.interval = interval;
    }

    @Override
    public void start(DataSink sink) {
        synchronized (lock) {
            this.sink = sink;
            next = scheduler.schedule(this::poll, 0, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    private void poll() {
        HttpRequest.Builder request = http.request("sdk/v1/flags").header("Accept", "application/json").GET();
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (etag != null) {
                request.header("If-None-Match", etag);
            }
        }
        try {
            http.client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> handle(response, error));
        } catch (RuntimeException e) {
            handle(null, e);
        }
    }

    private void handle(HttpResponse<String> response, Throwable error) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            Duration delay = interval;
            if (error != null) {
                fail("cannot reach the server: " + error, false);
            } else if (response.statusCode() == 304) {
                sink.healthy();
                succeeded();
            } else if (response.statusCode() == 200) {
                accept(response);
            } else if (FeedHttp.unauthorized(response.statusCode())) {
                delay = http.timings().unauthorizedRetry();
                if (!unauthorizedLogged) {
                    unauthorizedLogged = true;
                    log.error("Darklaunch refused the SDK token (HTTP {}); check the token. Retrying every {} s, without logging again",
                            response.statusCode(), delay.toSeconds());
                }
                sink.failed("the server refused the SDK token (HTTP " + response.statusCode() + ")", true);
            } else {
                fail("polling answered HTTP " + response.statusCode(), false);
            }
            next = scheduler.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A 200: new data if it is flag data, else a failure. */
    private void accept(HttpResponse<String> response) {
        String notJson = FeedHttp.notJson(response);
        if (notJson != null) {
            fail(notJson, false);
            return;
        }
        try {
            EnvironmentData data = FeedHttp.parseData(response.body());
            sink.apply(data);
            etag = response.headers().firstValue("ETag").orElse("\"" + data.revision() + "\"");
            unauthorizedLogged = false;
            succeeded();
        } catch (Exception e) {
            fail("malformed flag data (" + e.getMessage() + ")", false);
        }
    }

    private void fail(String error, boolean unauthorized) {
        if (error.equals(failureLogged)) {
            log.debug("Darklaunch polling: {} again", error);
        } else {
            failureLogged = error;
            log.warn("Darklaunch polling: {}; keeping the last good flags", error);
        }
        sink.failed(error, unauthorized);
    }

    private void succeeded() {
        if (failureLogged != null) {
            failureLogged = null;
            log.info("Darklaunch polling works again");
        }
    }
}
