package dev.darklaunch.server.auth;

import dev.darklaunch.server.failures.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordsTest {

    @Test
    void passwords_shorter_than_twelve_characters_are_refused_with_a_clear_message() {
        assertThatThrownBy(() -> Passwords.checkPolicy("password", "short pass1"))
                .isInstanceOfSatisfying(Failure.Invalid.class, e -> {
                    assertThat(e.field()).isEqualTo("password");
                    assertThat(e.getMessage()).contains("at least 12 characters");
                });
        assertThatThrownBy(() -> Passwords.checkPolicy("password", null)).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> Passwords.checkPolicy("password", "x".repeat(257))).isInstanceOf(Failure.class);
        Passwords.checkPolicy("password", "twelve chars");
        // counted in characters, not UTF-16 units or bytes
        assertThatThrownBy(() -> Passwords.checkPolicy("password", "😀".repeat(11))).isInstanceOf(Failure.class);
        Passwords.checkPolicy("password", "😀".repeat(12));
    }

    @Test
    void a_hash_verifies_its_password_only_and_hides_it() {
        String hash = Passwords.hashNow("correct horse battery");
        assertThat(hash).startsWith("$2a$12$").doesNotContain("correct");
        assertThat(Passwords.verifyNow("correct horse battery", hash)).isTrue();
        assertThat(Passwords.verifyNow("correct horse batterY", hash)).isFalse();
        assertThat(Passwords.verifyNow("correct horse battery", "not a hash")).isFalse();
        assertThat(Passwords.hashNow("correct horse battery")).as("salted").isNotEqualTo(hash);
    }

    @Test
    void passwords_longer_than_72_bytes_are_not_cut_off() {
        String base = "a".repeat(80);
        String hash = Passwords.hashNow(base + "1");
        assertThat(Passwords.verifyNow(base + "1", hash)).isTrue();
        assertThat(Passwords.verifyNow(base + "2", hash)).isFalse();
    }

    @Test
    void generated_passwords_pass_the_policy_and_differ() {
        String one = Passwords.generate();
        Passwords.checkPolicy("password", one);
        assertThat(Passwords.generate()).isNotEqualTo(one);
    }

    @Test
    void a_full_password_pool_refuses_more_checks_at_once_instead_of_queueing_them() throws Exception {
        Vertx vertx = Vertx.vertx();
        String hash = Passwords.hashNow("correct horse battery");
        try (Passwords passwords = new Passwords(vertx, 1, 1)) {
            List<Future<Boolean>> checks = IntStream.range(0, 6).mapToObj(i -> passwords.verify("a wrong guess " + i, hash)).toList();

            // one running, one waiting (two waiting if the thread had not yet taken the first), the rest refused on the spot
            List<Future<Boolean>> refused = checks.stream().filter(Future::failed).toList();
            assertThat(refused).hasSizeBetween(4, 5);
            assertThat(refused).allMatch(check -> Passwords.busy(check.cause()));
            assertThat(refused.get(0).cause()).isInstanceOf(Failure.Unavailable.class);
            assertThat(checks.get(0).await(30, TimeUnit.SECONDS)).isFalse();
            // a check answers before its thread takes the next from the line: once every accepted one has answered, the line is empty
            for (Future<Boolean> accepted : checks.stream().filter(check -> !refused.contains(check)).toList()) {
                assertThat(accepted.await(30, TimeUnit.SECONDS)).isFalse();
            }
            assertThat(passwords.verify("correct horse battery", hash).await(30, TimeUnit.SECONDS)).as("room again").isTrue();
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }
}
