package dev.darklaunch.server.feed;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.EventStreamResponse;
import dev.darklaunch.server.store.Json;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The SDK feed's memory: the current {@link Snapshot} of every environment, a bounded history of
 * its patches (for resuming with {@code Last-Event-ID}), and the open SSE streams, which get every
 * patch as it is applied. Fed by a {@link ChangeSource} through {@link FeedSink}; SDK reads never
 * touch the database.
 *
 * <p>Each environment's state and streams are guarded by one lock, so a stream that opens while a
 * patch is applied sees either the old snapshot and then the patch, or the new snapshot — never a gap.
 */
public final class Feed implements FeedSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Feed.class);
    private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

    private final Vertx vertx;
    private final FeedSettings settings;
    /** Where the per-environment gauges go: their labels name projects and environments. */
    private final MeterRegistry perEnvironment;
    private final Timer lag;
    private final Map<EnvironmentKey, Channel> channels = new ConcurrentHashMap<>();
    /** Open streams by token id; guarded by itself. */
    private final Map<Long, Set<Stream>> byToken = new HashMap<>();
    private final long heartbeats;

    /**
     * @param registry       the instance's meters (public)
     * @param perEnvironment meters labelled with a project and environment (for admins only)
     */
    public Feed(Vertx vertx, FeedSettings settings, MeterRegistry registry, MeterRegistry perEnvironment) {
        this.vertx = vertx;
        this.settings = settings;
        this.perEnvironment = perEnvironment;
        this.lag = Timer.builder("darklaunch.feed.propagation.lag")
                .description("time from a change's commit to this instance applying it to its snapshot")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("darklaunch.sdk.streams.open", this, Feed::openStreams)
                .description("SDK streams open on this instance").register(registry);
        this.heartbeats = vertx.setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
    }

    /** The current snapshot of an environment, if this instance has loaded it. */
    public Optional<Snapshot> current(EnvironmentKey environment) {
        Channel channel = channels.get(environment);
        return channel == null ? Optional.empty() : Optional.ofNullable(channel.current);
    }

    /**
     * The current data of an environment, if this instance has loaded it: what OFREP evaluates,
     * so its answers and the feed's never come from different revisions of one instance.
     */
    public Optional<EnvironmentData> data(EnvironmentKey environment) {
        return current(environment).map(Snapshot::data);
    }

    /**
     * Starts an SSE stream on the response: a snapshot, or the patches after {@code lastEventId}
     * when the history still has them (then at once a heartbeat); then every patch, heartbeats, and
     * an end after the stream's lifetime.
     *
     * @throws Failure 429 beyond the token's stream cap; 503 if the environment is not loaded yet
     */
    public void openStream(HttpServerResponse response, EnvironmentKey environment, long tokenId, String lastEventId) {
        Channel channel = channels.get(environment);
        if (channel == null || channel.current == null) {
            throw Failure.unavailable("the data of " + environment + " is not loaded on this server yet; retry shortly");
        }
        Stream stream = new Stream(response, channel, tokenId);
        synchronized (byToken) {
            Set<Stream> streams = byToken.computeIfAbsent(tokenId, id -> new HashSet<>());
            if (streams.size() >= settings.maxStreamsPerToken()) {
                throw Failure.tooManyRequests("this token already has " + streams.size()
                        + " open streams on this server, the most it may hold; close one or use another token");
            }
            streams.add(stream);
        }
        stream.events.start();
        stream.lifetimeTimer = vertx.setTimer(Math.max(1, jitteredLifetime(settings.streamLifetime()).toMillis()),
                id -> stream.close());
        synchronized (channel) {
            if (stream.events.isClosed()) {
                return; // the client left already
            }
            channel.streams.add(stream);
            for (Buffer event : channel.resume(lastEventId)) {
                stream.send(event);
            }
            if (lastEventId != null) {
                // tells a resuming SDK at once that its stream is live and it now has everything
                // (possibly nothing new); response headers alone prove neither
                stream.send(HEARTBEAT);
            }
        }
    }

    @Override
    public Set<Long> streamingTokens() {
        synchronized (byToken) {
            return Set.copyOf(byToken.keySet());
        }
    }

    public int openStreams() {
        synchronized (byToken) {
            return byToken.values().stream().mapToInt(Set::size).sum();
        }
    }

    @Override
    public long revision(EnvironmentKey environment) {
        Channel channel = channels.get(environment);
        return channel == null || channel.current == null ? -1 : channel.current.revision();
    }

    @Override
    public void snapshot(EnvironmentKey environment, EnvironmentData data) {
        Channel channel = channels.computeIfAbsent(environment, this::newChannel);
        synchronized (channel) {
            Snapshot current = channel.current;
            if (current == null) {
                channel.current = Snapshot.of(data);
            } else if (data.revision() > current.revision()) {
                // streams stay open: they get the difference as one patch
                channel.apply(EnvironmentPatch.between(current.data(), data));
            }
        }
    }

    @Override
    public void patch(EnvironmentKey environment, EnvironmentPatch patch, long committedAtMillis) {
        Channel channel = channels.get(environment);
        if (channel == null) {
            log.atDebug().addKeyValue("environment", environment).log("patch for an environment without a snapshot ignored");
            return;
        }
        synchronized (channel) {
            if (channel.current == null || channel.current.revision() != patch.previous()) {
                log.atDebug().addKeyValue("environment", environment).addKeyValue("previous", patch.previous())
                        .log("patch that does not follow the current revision ignored");
                return;
            }
            channel.apply(patch);
        }
        if (committedAtMillis > 0) {
            lag.record(Math.max(0, System.currentTimeMillis() - committedAtMillis), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void tokenRevoked(long tokenId) {
        Set<Stream> streams;
        synchronized (byToken) {
            streams = byToken.remove(tokenId);
        }
        if (streams != null) {
            log.atInfo().addKeyValue("token", tokenId).addKeyValue("streams", streams.size()).log("closing streams of a revoked token");
            streams.forEach(Stream::close);
        }
    }

    /** Ends every stream (SDKs reconnect elsewhere) and stops the heartbeats. */
    @Override
    public void close() {
        vertx.cancelTimer(heartbeats);
        List<Stream> all = new ArrayList<>();
        synchronized (byToken) {
            byToken.values().forEach(all::addAll);
        }
        all.forEach(Stream::close);
    }

    private Channel newChannel(EnvironmentKey environment) {
        Channel channel = new Channel(environment);
        Gauge.builder("darklaunch.feed.revision", channel, c -> c.current == null ? -1 : c.current.revision())
                .description("the environment's revision this instance serves")
                .tags("project", environment.project(), "environment", environment.environment())
                .register(perEnvironment);
        return channel;
    }

    private void heartbeat() {
        for (Channel channel : channels.values()) {
            synchronized (channel) {
                for (Stream stream : List.copyOf(channel.streams)) {
                    stream.send(HEARTBEAT);
                }
            }
        }
    }

    /** One environment: its snapshot, patch history and streams. Guarded by itself. */
    private final class Channel {
        final EnvironmentKey environment;
        volatile Snapshot current;
        final ArrayDeque<PatchEvent> history = new ArrayDeque<>();
        final Set<Stream> streams = new HashSet<>();

        Channel(EnvironmentKey environment) {
            this.environment = environment;
        }

        void apply(EnvironmentPatch patch) {
            current = Snapshot.of(patch.applyTo(current.data()));
            PatchEvent event = new PatchEvent(patch.previous(), patch.revision(),
                    Snapshot.event("patch", patch.revision(), Json.write(patch).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            if (settings.historySize() > 0) {
                history.addLast(event);
                while (history.size() > settings.historySize()) {
                    history.removeFirst();
                }
            }
            for (Stream stream : List.copyOf(streams)) {
                stream.send(event.event());
            }
        }

        /** What a stream that last saw {@code lastEventId} needs: nothing, later patches, or the snapshot. */
        List<Buffer> resume(String lastEventId) {
            long seen;
            try {
                seen = lastEventId == null ? -1 : Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                seen = -1;
            }
            if (seen == current.revision()) {
                return List.of();
            }
            List<Buffer> events = new ArrayList<>();
            boolean found = false;
            for (Iterator<PatchEvent> it = history.iterator(); it.hasNext(); ) {
                PatchEvent event = it.next();
                if (!found && event.previous() == seen && seen >= 0) {
                    found = true;
                }
                if (found) {
                    events.add(event.event());
                }
            }
            return found ? events : List.of(current.event());
        }
    }

    private record PatchEvent(long previous, long revision, Buffer event) {
    }

    /** One open SSE response of an environment's feed, held by a token. */
    private final class Stream {
        final EventStreamResponse events;
        final Channel channel;
        final long tokenId;
        volatile long lifetimeTimer = -1;

        Stream(HttpServerResponse response, Channel channel, long tokenId) {
            this.events = new EventStreamResponse(response, "sdk feed of " + channel.environment, this::forgotten);
            this.channel = channel;
            this.tokenId = tokenId;
        }

        void send(Buffer event) {
            events.send(event);
        }

        /** Ends the response (the SDK reconnects) and forgets the stream. */
        void close() {
            events.close();
        }

        private void forgotten() {
            if (lifetimeTimer >= 0) {
                vertx.cancelTimer(lifetimeTimer);
            }
            synchronized (channel) {
                channel.streams.remove(this);
            }
            synchronized (byToken) {
                Set<Stream> streams = byToken.get(tokenId);
                if (streams != null) {
                    streams.remove(this);
                    if (streams.isEmpty()) {
                        byToken.remove(tokenId);
                    }
                }
            }
        }
    }

    /** The lifetime ± 20 %, so streams opened together do not all reconnect together. */
    static Duration jitteredLifetime(Duration lifetime) {
        return Duration.ofMillis((long) (lifetime.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }
}
