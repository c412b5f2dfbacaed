package dev.darklaunch.spring;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * darklaunch.ssl-bundle: a server whose certificate no public CA signed is trusted through a
 * Spring Boot SSL bundle, and not without it. The server is a small HTTPS stand-in that answers
 * {@code /sdk/v1/flags} (the client polls), with a certificate keytool makes for the test.
 */
class SslBundleTest {

    private static final String PASSWORD = "test-only-password";

    @TempDir
    Path directory;
    private HttpsServer server;
    private Path certificate;

    @BeforeEach
    void startHttpsServer() throws Exception {
        Path keyStore = directory.resolve("server.p12");
        certificate = directory.resolve("server.pem");
        keytool("-genkeypair", "-alias", "flags", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "flags", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        byte[] flags = new ClassPathResource("flags.json").getContentAsByteArray();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/sdk/v1/flags", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, flags.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(flags);
            }
        });
        server.start();
    }

    @AfterEach
    void stopHttpsServer() {
        server.stop(0);
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DarklaunchAutoConfiguration.class))
                .withPropertyValues("darklaunch.base-url=https://localhost:" + server.getAddress().getPort(),
                        "darklaunch.sdk-token=dl_sdk_x", "darklaunch.streaming=false", "darklaunch.evaluation-counts=false",
                        "darklaunch.init-timeout=20s");
    }

    @Test
    void the_named_bundle_trusts_the_servers_certificate() {
        runner().withPropertyValues("spring.ssl.bundle.pem.darklaunch.truststore.certificate=file:" + certificate,
                "darklaunch.ssl-bundle=darklaunch").run(context -> {
            assertThat(context).hasNotFailed();
            DarklaunchClient client = context.getBean(DarklaunchClient.class);
            assertThat(client.status().state()).as(client.status().toString()).isEqualTo(Status.State.READY);
            assertThat(client.isEnabled("new-checkout", Context.of("user-1").with("country", "NO"))).isTrue();
        });
    }

    @Test
    void without_the_bundle_the_certificate_is_not_trusted() {
        runner().withPropertyValues("darklaunch.init-timeout=5s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DarklaunchClient.class).status().state()).isNotEqualTo(Status.State.READY);
        });
    }

    private static void keytool(String... arguments) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
