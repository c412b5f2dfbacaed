package dev.darklaunch.server.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void doubles_from_the_first_wait_after_each_failure() {
        assertThat(backoff.after(0)).isZero();
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.after(9)).isEqualTo(Duration.ofSeconds(256));
    }

    @Test
    void never_waits_longer_than_the_cap_however_many_failures() {
        assertThat(backoff.after(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(63)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(64)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void short_waits_for_tests_follow_the_same_rule() {
        Backoff quick = new Backoff(Duration.ofMillis(50), Duration.ofMillis(300));
        assertThat(quick.after(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(quick.after(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(quick.after(4)).isEqualTo(Duration.ofMillis(300));
    }
}
