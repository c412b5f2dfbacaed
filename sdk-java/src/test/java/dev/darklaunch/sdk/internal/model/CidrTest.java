package dev.darklaunch.sdk.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Literal IPv4/IPv6 ranges, parsed without DNS. */
class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0", "10.0.0.0/8, 10.255.255.255", "192.168.1.0/24, 192.168.1.77",
        "0.0.0.0/0, 203.0.113.9", "203.0.113.9, 203.0.113.9", "203.0.113.9/32, 203.0.113.9",
        "10.1.2.3/8, 10.200.0.1", "10.0.0.0/8, ::ffff:10.1.2.3", "172.16.0.0/12, 172.31.255.255",
        "2001:db8::/32, 2001:db8::1", "2001:db8::/32, 2001:DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF",
        "::/0, ::", "::1/128, ::1", "::1, 0:0:0:0:0:0:0:1", "fe80::/10, febf::1",
        "2001:db8:0:0:1::/80, 2001:db8::1:0:0:1", "::ffff:0:0/96, ::ffff:192.0.2.1",
        "2001:db8::/127, 2001:db8::1", "2001:db8:0:0:8000::/65, 2001:db8::8000:0:0:1",
    })
    void contains(String cidr, String ip) {
        assertThat(parse(cidr).contains(ip)).isTrue();
    }

    @ParameterizedTest(name = "{0} does not contain {1}")
    @CsvSource({
        "10.0.0.0/8, 11.0.0.0", "10.0.0.0/8, 9.255.255.255", "192.168.1.0/24, 192.168.2.1",
        "203.0.113.9/32, 203.0.113.10", "10.0.0.0/8, 2001:db8::1", "10.0.0.0/8, ::ffff:11.0.0.1",
        "10.0.0.0/8, ::10.0.0.1", "2001:db8::/32, 2001:db9::", "2001:db8::/32, 10.0.0.1",
        "::1/128, ::2", "fe80::/10, fec0::", "2001:db8::/127, 2001:db8::2", "2001:db8:0:0:8000::/65, 2001:db8::1",
        "10.0.0.0/8, localhost", "10.0.0.0/8, 10.0.0.1/32", "10.0.0.0/8, 010.0.0.1", "10.0.0.0/8, ''",
        "::/0, fe80::1%eth0", "::/0, example.com",
    })
    void doesNotContain(String cidr, String ip) {
        assertThat(parse(cidr).contains(ip)).isFalse();
    }

    @Test
    void nullIsNotContained() {
        assertThat(parse("0.0.0.0/0").contains(null)).isFalse();
    }

    @Test
    void hostBitsAreCleared() {
        assertThat(parse("10.1.2.3/8")).isEqualTo(parse("10.0.0.0/8"));
        assertThat(parse("2001:db8::1/32")).isEqualTo(parse("2001:db8::/32"));
        assertThat(parse("192.168.1.1")).isEqualTo(new Cidr(false, 0, 0xc0a80101L, 32));
        assertThat(parse("::1")).isEqualTo(new Cidr(true, 0, 1, 128));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/08", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8",
        "01.2.3.4", "1.2.3.04/32", "1.2.3.4 ", " 1.2.3.4", "1..3.4", "1.2.3.4/8/8", "::/129", ":::/0", "1::2::3",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", "1:", ":1", "1:2:3:4:5:6:7:8::",
        "fe80::1%eth0", "::ffff:1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4",
        "localhost", "localhost/8", "example.com/24", "router.local", "١٠.0.0.0/8", "１０.0.0.0/8",
    })
    void invalidRangesAndHostNamesAreRejected(String text) {
        assertThat(Cidr.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "::", "::1", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4/128",
        "1:2:3:4:5:6:1.2.3.4", "FE80::/10", "0.0.0.0/0", "255.255.255.255/32",
    })
    void validRangesAreAccepted(String text) {
        assertThat(Cidr.parse(text)).isPresent();
    }

    private static Cidr parse(String text) {
        return Cidr.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }
}
