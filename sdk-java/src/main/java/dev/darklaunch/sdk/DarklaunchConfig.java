package dev.darklaunch.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.darklaunch.sdk.internal.data.FeedTimings;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.ModelJson;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a {@link DarklaunchClient} gets its flags. Build with {@link #builder()}; immutable.
 *
 * <pre>{@code
 * DarklaunchConfig config = DarklaunchConfig.builder()
 *         .sdkToken(System.getenv("DARKLAUNCH_SDK_TOKEN"))
 *         .baseUri(URI.create("https://flags.example.com"))
 *         .backupFile(Path.of("/var/cache/myapp/flags.json"))
 *         .build();
 * }</pre>
 *
 * Either connect to a server ({@link Builder#sdkToken} and {@link Builder#baseUri}) or run
 * {@link Builder#offline()} on bootstrap and backup data alone.
 */
public final class DarklaunchConfig {

    /** The shortest polling interval, so a misconfiguration cannot hammer the server. */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);
    /** The longest init timeout: an application should never wait longer than this for flags. */
    public static final Duration MAX_INIT_TIMEOUT = Duration.ofMinutes(1);

    private final Optional<EnvironmentData> bootstrap;
    private final String sdkToken;
    private final URI baseUri;
    private final boolean streaming;
    private final Duration pollInterval;
    private final Duration initTimeout;
    private final Optional<Path> backupFile;
    private final boolean offline;
    private final boolean evaluationCounts;
    private final Optional<SSLContext> sslContext;
    private final FeedTimings timings;

    private DarklaunchConfig(Builder builder, boolean offline) {
        this.bootstrap = Optional.ofNullable(builder.bootstrap);
        this.sdkToken = builder.sdkToken;
        this.baseUri = builder.baseUri;
        this.streaming = builder.streaming;
        this.pollInterval = builder.pollInterval;
        this.initTimeout = builder.initTimeout;
        this.backupFile = Optional.ofNullable(builder.backupFile);
        this.offline = offline;
        this.evaluationCounts = !offline && (builder.evaluationCounts == null || builder.evaluationCounts);
        this.sslContext = Optional.ofNullable(builder.sslContext);
        this.timings = builder.timings;
    }

    public static Builder builder() {
        return new Builder();
    }

    Optional<EnvironmentData> bootstrap() {
        return bootstrap;
    }

    String sdkToken() {
        return sdkToken;
    }

    URI baseUri() {
        return baseUri;
    }

    boolean streaming() {
        return streaming;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    Duration initTimeout() {
        return initTimeout;
    }

    Optional<Path> backupFile() {
        return backupFile;
    }

    boolean offline() {
        return offline;
    }

    boolean evaluationCounts() {
        return evaluationCounts;
    }

    Optional<SSLContext> sslContext() {
        return sslContext;
    }

    FeedTimings timings() {
        return timings;
    }

    /** Collects settings; {@link #build()} checks that they fit together. */
    public static final class Builder {
        private EnvironmentData bootstrap;
        private String sdkToken;
        private URI baseUri;
        private boolean streaming = true;
        private Duration pollInterval = Duration.ofSeconds(30);
        private Duration initTimeout = Duration.ofSeconds(5);
        private Path backupFile;
        private boolean offline;
        private Boolean evaluationCounts;
        private SSLContext sslContext;
        private FeedTimings timings = FeedTimings.DEFAULT;

        private Builder() {
        }

        /**
         * Flag data to evaluate from the start, in the SDK feed's snapshot format
         * ({@code {"revision": n, "flags": [{"flag": {…}, "config": {…}}], "segments": [{"key": …, "config": {…}}]}}).
         * Used when there is no readable backup file, until the server answers. Default: none.
         *
         * @throws IllegalArgumentException if the text is not such data
         */
        public Builder bootstrap(String json) {
            try {
                this.bootstrap = ModelJson.feedMapper().readValue(json, EnvironmentData.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("bootstrap data is not valid flag data: " + e.getOriginalMessage(), e);
            }
            return this;
        }

        /** The environment's SDK token (sent as {@code Authorization: Bearer …}). Required unless offline. */
        public Builder sdkToken(String sdkToken) {
            if (sdkToken == null || sdkToken.isBlank()) {
                throw new IllegalArgumentException("the SDK token must not be blank");
            }
            this.sdkToken = sdkToken.strip();
            return this;
        }

        /** The Darklaunch server, e.g. {@code https://flags.example.com}; http or https. Required unless offline. */
        public Builder baseUri(URI baseUri) {
            Objects.requireNonNull(baseUri, "baseUri");
            if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme()) || baseUri.getHost() == null) {
                throw new IllegalArgumentException("the base URI must be an http or https URL with a host: " + baseUri);
            }
            this.baseUri = baseUri;
            return this;
        }

        /**
         * Whether to follow the server's event stream (default {@code true}): changes arrive within
         * milliseconds. With {@code false}, the client polls every {@link #pollInterval}.
         */
        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /** How often to poll when streaming is off. Default 30 s; at least {@link #MIN_POLL_INTERVAL}. */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0) {
                throw new IllegalArgumentException("the poll interval must be at least " + MIN_POLL_INTERVAL.toSeconds() + " s: " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * The longest {@link DarklaunchClient#create} waits for the server's data before returning
         * (serving backup, bootstrap or default values meanwhile). Default 5 s; 0 to
         * {@link #MAX_INIT_TIMEOUT}; 0 does not wait.
         */
        public Builder initTimeout(Duration initTimeout) {
            Objects.requireNonNull(initTimeout, "initTimeout");
            if (initTimeout.isNegative() || initTimeout.compareTo(MAX_INIT_TIMEOUT) > 0) {
                throw new IllegalArgumentException("the init timeout must be between 0 and " + MAX_INIT_TIMEOUT.toSeconds() + " s: " + initTimeout);
            }
            this.initTimeout = initTimeout;
            return this;
        }

        /**
         * A file that keeps the last data received, read at start (before bootstrap data) so an
         * application can start with the server down. Written atomically (a temporary file in the
         * same directory, then a rename) after every change; an unreadable file is ignored with a
         * warning. Default: none.
         */
        public Builder backupFile(Path backupFile) {
            this.backupFile = Objects.requireNonNull(backupFile, "backupFile");
            return this;
        }

        /**
         * No network at all: flags come from the backup file or bootstrap data only (and stay as
         * they are). Conflicts with {@link #sdkToken}, {@link #baseUri} and {@code evaluationCounts(true)}.
         */
        public Builder offline() {
            this.offline = true;
            return this;
        }

        /**
         * Whether to count evaluations per flag and variation and post the counts to the server
         * every minute (for usage and stale-flag detection). Default {@code true}, or {@code false}
         * when offline. Counting costs no allocation and never blocks an evaluation. Events recorded
         * with {@link DarklaunchClient#track} are sent either way (in the same requests).
         */
        public Builder evaluationCounts(boolean evaluationCounts) {
            this.evaluationCounts = evaluationCounts;
            return this;
        }

        /**
         * The TLS settings for an {@code https} base URI, e.g. to trust a private certificate
         * authority: an {@link SSLContext} initialised with trust managers for a trust store that
         * holds its certificate. Default: the JVM's default context, which trusts the JDK's CA
         * certificates (or the {@code javax.net.ssl.trustStore} system property's store) and
         * checks that the certificate names the host.
         *
         * <pre>{@code
         * KeyStore trusted = KeyStore.getInstance("PKCS12");
         * try (InputStream in = Files.newInputStream(Path.of("/etc/myapp/internal-ca.p12"))) {
         *     trusted.load(in, password);
         * }
         * TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
         * trust.init(trusted);
         * SSLContext tls = SSLContext.getInstance("TLS");
         * tls.init(null, trust.getTrustManagers(), null);
         * builder.sslContext(tls);
         * }</pre>
         *
         * Conflicts with {@link #offline()}.
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** Test hook: the feed's timings (retry delays, silence, metrics interval). */
        Builder timings(FeedTimings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            return this;
        }

        /**
         * Checks and freezes the settings. With neither {@link #sdkToken} nor {@link #baseUri} (and
         * nothing else network-related), the client runs offline on its bootstrap data.
         *
         * @throws IllegalStateException if the settings conflict or a required one is missing
         */
        public DarklaunchConfig build() {
            if (offline) {
                if (sdkToken != null || baseUri != null || sslContext != null) {
                    throw new IllegalStateException("offline() uses no server: remove sdkToken, baseUri and sslContext, or offline()");
                }
                if (Boolean.TRUE.equals(evaluationCounts)) {
                    throw new IllegalStateException("offline() cannot post evaluation counts: remove evaluationCounts(true)");
                }
                return new DarklaunchConfig(this, true);
            }
            if (sdkToken == null && baseUri == null && evaluationCounts == null && streaming && backupFile == null
                    && sslContext == null) {
                return new DarklaunchConfig(this, true);
            }
            if (sdkToken == null || baseUri == null) {
                throw new IllegalStateException("connecting to a server needs both sdkToken and baseUri (or use offline())");
            }
            return new DarklaunchConfig(this, false);
        }
    }
}
