package dev.darklaunch.sdk;

import static dev.darklaunch.sdk.FeedServer.await;
import static dev.darklaunch.sdk.LiveFeedTest.FAST;
import static dev.darklaunch.sdk.LiveFeedTest.WAIT;
import static dev.darklaunch.sdk.LiveFeedTest.data;
import static dev.darklaunch.sdk.LiveFeedTest.flag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose certificate a private CA signed (here: a self-signed one): the JVM's default
 * trust refuses it, clearly; {@link DarklaunchConfig.Builder#sslContext} trusts it, as the README
 * shows.
 */
class PrivateCertificateTest {

    private static final Context USER = Context.of("u-1");
    private final FeedServer server;

    PrivateCertificateTest() throws Exception {
        server = new FeedServer(SelfSignedCertificate.server());
    }

    @AfterEach
    void close() {
        server.close();
    }

    private DarklaunchConfig.Builder config() {
        return DarklaunchConfig.builder().sdkToken("sdk-secret").baseUri(server.uri()).timings(FAST)
                .initTimeout(Duration.ZERO).evaluationCounts(false);
    }

    @Test
    void withoutTheSslContext_thePrivateCertificateIsRefused_andTheStatusSaysSo() {
        try (DarklaunchClient client = DarklaunchClient.create(config().build())) {
            await(WAIT, "an error", () -> client.status().state() == Status.State.ERROR && client.status().lastError() != null);
            assertThat(client.status().lastError()).containsIgnoringCase("SSLHandshakeException");
            assertThat(server.streamRequests).as("nothing reached the server").isEmpty();
        }
    }

    @Test
    void theReadmeExample_trustsThePrivateCa(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("internal-ca.p12");
        char[] password = "changeit".toCharArray();
        writeTrustStore(file, password);

        // the README's example, as it stands there
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            trusted.load(in, password);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);

        try (DarklaunchClient client = DarklaunchClient.create(config().sslContext(tls).build())) {
            server.nextStream().event("snapshot", 1, data(1, flag("a", true)));
            await(WAIT, "ready over TLS", () -> client.isEnabled("a", USER) && client.status().state() == Status.State.READY);
        }
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("KeyStore trusted = KeyStore.getInstance(\"PKCS12\");",
                "TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());",
                "trust.init(trusted);", "SSLContext tls = SSLContext.getInstance(\"TLS\");",
                "tls.init(null, trust.getTrustManagers(), null);", ".sslContext(tls)");
    }

    @Test
    void anSslContextNeedsAServer() {
        assertThatThrownBy(() -> DarklaunchConfig.builder().offline().sslContext(SelfSignedCertificate.trusting()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext");
        assertThatThrownBy(() -> DarklaunchConfig.builder().sslContext(SelfSignedCertificate.trusting()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sdkToken and baseUri");
    }

    /** What an operator does once: the CA's certificate in a PKCS12 trust store. */
    private static void writeTrustStore(Path file, char[] password) throws Exception {
        Certificate certificate = SelfSignedCertificate.certificate();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("internal-ca", certificate);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
    }
}
