package dev.darklaunch.sdk;

import dev.darklaunch.sdk.internal.data.FeedHttp;
import dev.darklaunch.sdk.internal.data.FeedTimings;
import dev.darklaunch.sdk.internal.data.StreamingDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.ScheduledExecutorService;

/**
 * For benchmarks only: a real {@link DarklaunchClient} — the same data source, status and
 * evaluator — over an HTTP client the benchmark chooses, e.g. the JDK's default HTTP/2 one the
 * SDK used before it chose HTTP/1.1. Lives in the SDK's package because that choice is
 * deliberately not part of the SDK's API.
 */
public final class BenchClients {

    private BenchClients() {
    }

    /** A streaming client with the default feed timings; its status and data behave as the SDK's. */
    public static DarklaunchClient streaming(HttpClient http, URI base, String sdkToken, ScheduledExecutorService scheduler) {
        return new DarklaunchClient(new StreamingDataSource(new FeedHttp(http, base, sdkToken, FeedTimings.DEFAULT), scheduler));
    }
}
