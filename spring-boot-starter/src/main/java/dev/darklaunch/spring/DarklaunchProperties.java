package dev.darklaunch.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code darklaunch.*} properties the auto-configured {@link dev.darklaunch.sdk.DarklaunchClient}
 * is built from; each maps to the {@link dev.darklaunch.sdk.DarklaunchConfig.Builder} setting of the
 * same name, with the same defaults and limits.
 */
@ConfigurationProperties(prefix = "darklaunch")
public class DarklaunchProperties {

    /** Whether to create a DarklaunchClient (and its health indicator) at all. */
    private boolean enabled = true;

    /** The Darklaunch server, e.g. https://flags.example.com. Required unless offline. */
    private URI baseUrl;

    /** The environment's SDK token (one project, one environment). Required unless offline. */
    private String sdkToken;

    /** Whether to follow the server's event stream (changes arrive in milliseconds); false polls every poll-interval. */
    private boolean streaming = true;

    /** How often to poll when streaming is off; at least 1s. */
    private Duration pollInterval = Duration.ofSeconds(30);

    /** The longest the application's start waits for the server's flags (0 to 1m); the client then serves the backup, bootstrap or default values meanwhile. */
    private Duration initTimeout = Duration.ofSeconds(5);

    /** A file that keeps the last flags received, read at start so the application can start with the server down. */
    private Path backupFile;

    /** Flag data to evaluate until the server answers (or always, offline), in the SDK feed's snapshot format, e.g. classpath:flags.json. */
    private Resource bootstrap;

    /** No server at all: flags come from the backup file or bootstrap data, else every flag serves the caller's default. For tests and local work. */
    private boolean offline;

    /** Whether to post evaluation counts per flag and variation to the server every minute (usage, stale-flag detection). Default true, false offline. */
    private Boolean evaluationCounts;

    /** The name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material the client uses for an https base-url, e.g. to trust an internal CA. */
    private String sslBundle;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public URI getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getSdkToken() {
        return sdkToken;
    }

    public void setSdkToken(String sdkToken) {
        this.sdkToken = sdkToken;
    }

    public boolean isStreaming() {
        return streaming;
    }

    public void setStreaming(boolean streaming) {
        this.streaming = streaming;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getInitTimeout() {
        return initTimeout;
    }

    public void setInitTimeout(Duration initTimeout) {
        this.initTimeout = initTimeout;
    }

    public Path getBackupFile() {
        return backupFile;
    }

    public void setBackupFile(Path backupFile) {
        this.backupFile = backupFile;
    }

    public Resource getBootstrap() {
        return bootstrap;
    }

    public void setBootstrap(Resource bootstrap) {
        this.bootstrap = bootstrap;
    }

    public boolean isOffline() {
        return offline;
    }

    public void setOffline(boolean offline) {
        this.offline = offline;
    }

    public Boolean getEvaluationCounts() {
        return evaluationCounts;
    }

    public void setEvaluationCounts(Boolean evaluationCounts) {
        this.evaluationCounts = evaluationCounts;
    }

    public String getSslBundle() {
        return sslBundle;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }
}
