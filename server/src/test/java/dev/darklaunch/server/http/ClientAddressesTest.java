package dev.darklaunch.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressesTest {

    private static final ClientAddresses BEHIND_PROXIES = ClientAddresses.trusting("DARKLAUNCH_TRUSTED_PROXIES",
            " 10.0.0.0/8, 192.168.1.7 ");

    @Test
    void without_trusted_proxies_x_forwarded_for_is_a_header_like_any_other() {
        assertThat(ClientAddresses.DIRECT.of("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
        assertThat(ClientAddresses.trusting("X", "  ")).isSameAs(ClientAddresses.DIRECT);
    }

    @Test
    void behind_a_trusted_proxy_the_client_is_the_nearest_untrusted_address() {
        assertThat(BEHIND_PROXIES.of("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        // a client cannot pass for someone else by writing the header itself: its own entry is the last untrusted one
        assertThat(BEHIND_PROXIES.of("10.1.2.3", List.of("1.2.3.4, 198.51.100.1"))).isEqualTo("198.51.100.1");
        // through two trusted proxies, over several header lines
        assertThat(BEHIND_PROXIES.of("10.1.2.3", List.of("1.2.3.4, 198.51.100.1", "192.168.1.7"))).isEqualTo("198.51.100.1");
        // no header, or garbage where the client should be: the proxy itself (it then speaks for all its clients)
        assertThat(BEHIND_PROXIES.of("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
        assertThat(BEHIND_PROXIES.of("10.1.2.3", List.of("evil, not-an-address"))).isEqualTo("10.1.2.3");
        // an untrusted peer's header is ignored
        assertThat(BEHIND_PROXIES.of("203.0.113.9", List.of("10.1.2.3"))).isEqualTo("203.0.113.9");
        assertThat(BEHIND_PROXIES.isTrustedProxy("192.168.1.7")).isTrue();
        assertThat(BEHIND_PROXIES.isTrustedProxy("192.168.1.8")).isFalse();
    }

    @Test
    void ipv6_clients_count_per_64_network() {
        assertThat(ClientAddresses.group("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddresses.group("2001:db8:1:2:0:0:0:1")).isEqualTo(ClientAddresses.group("2001:db8:1:2::ffff"));
        assertThat(ClientAddresses.group("2001:db8:1:3::1")).isNotEqualTo(ClientAddresses.group("2001:db8:1:2::1"));
        assertThat(ClientAddresses.group("127.0.0.2")).isEqualTo("127.0.0.2");
        assertThat(ClientAddresses.group("::ffff:10.1.2.3")).isEqualTo("10.1.2.3");
    }

    @Test
    void a_trusted_proxy_list_that_is_not_addresses_is_refused_at_start() {
        assertThatThrownBy(() -> ClientAddresses.trusting("DARKLAUNCH_TRUSTED_PROXIES", "10.0.0.0/8, loadbalancer.internal"))
                .hasMessageContaining("DARKLAUNCH_TRUSTED_PROXIES").hasMessageContaining("loadbalancer.internal");
    }
}
