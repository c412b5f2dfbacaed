package dev.darklaunch.server.webhooks;

import dev.darklaunch.server.failures.Failure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationsTest {

    private final Destinations publicOnly = new Destinations(false, "localhost", 5432);
    private final Destinations anywhere = new Destinations(true, "localhost", 5432);

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/darklaunch", "http://203.0.113.7:8080/in?x=1", "https://[2001:db8::1]/"})
    void accepts_http_and_https_urls_of_public_hosts(String url) {
        assertThat(publicOnly.check(url).uri().toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)",
            "example.com/hook", "https://user:pass@example.com/", "http:///nohost", "https://exa mple.com/", ""})
    void refuses_other_schemes_and_malformed_urls_naming_the_field(String url) {
        assertThatThrownBy(() -> publicOnly.check(url)).isInstanceOf(Failure.Invalid.class)
                .extracting("field").isEqualTo("url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://localhost:8080/", "http://app.localhost/", "http://10.1.2.3/",
            "http://192.168.0.1/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
            "http://100.64.0.1/", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://localhost./", "http://[::ffff:127.0.0.1]/",
            "http://224.0.0.1/", "http://255.255.255.255/"})
    void refuses_loopback_private_link_local_and_metadata_addresses_by_default(String url) {
        assertThatThrownBy(() -> publicOnly.check(url)).isInstanceOf(Failure.Invalid.class)
                .hasMessageContaining("public addresses only");
    }

    @Test
    void with_private_addresses_allowed_loopback_is_fine_but_not_the_database_port() {
        assertThat(anywhere.check("http://127.0.0.1:8080/hook").port()).isEqualTo(8080);
        for (String url : new String[]{"http://127.0.0.1:5432/", "http://localhost:5432/", "http://[::1]:5432/", "http://0.0.0.0:5432/"}) {
            assertThatThrownBy(() -> anywhere.check(url)).as(url).isInstanceOf(Failure.Invalid.class)
                    .hasMessageContaining("database");
        }
    }

    @Test
    void names_are_checked_against_what_they_resolve_to_at_delivery() throws Exception {
        Destinations.Target local = Destinations.parse("http://localhost:9/"); // as if its name had passed
        assertThatThrownBy(() -> publicOnly.resolve(local)).isInstanceOf(Failure.Invalid.class)
                .hasMessageContaining("public addresses only");
        assertThat(anywhere.resolve(local).isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> anywhere.resolve(Destinations.parse("http://localhost:5432/"))).isInstanceOf(Failure.Invalid.class)
                .hasMessageContaining("database");
        assertThat(Destinations.isInternal(InetAddress.getByName("8.8.8.8"))).isFalse();
    }
}
