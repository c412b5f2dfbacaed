package dev.darklaunch.server;

import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.FromAddress;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing passwords must not become a way to lock others out (RELIABILITY 16, 21): failed
 * sign-ins are counted per account and client address and per address, so whoever guesses from
 * one address is refused there while the right password from anywhere else still works; and
 * password checks run on a small pool of their own, so a flood of bogus sign-ins cannot hold a
 * real one for long. Several clients are played from different loopback addresses.
 */
@DarklaunchServerTest(adminPassword = true)
class SignInThrottleIT {

    @Given
    private static TestServer server;

    @Test
    void guessing_admins_password_from_one_address_never_locks_out_the_right_password_from_another() {
        FromAddress guesser = new FromAddress("127.0.0.2", server.port());
        for (int i = 1; i <= 10; i++) {
            assertThat(signIn(guesser, "admin", "wrong guess " + i).status()).as("guess " + i).isEqualTo(401);
        }
        Http.Response refused = signIn(guesser, "admin", "wrong guess 11");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("error").asText()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 15 * 60L);
        assertThat(signIn(guesser, "admin", TestServer.ADMIN_PASSWORD).status())
                .as("the guessing address learns nothing, not even from the right password").isEqualTo(429);

        FromAddress owner = new FromAddress("127.0.0.3", server.port());
        assertThat(signIn(owner, "admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(200);
        // and again after more guessing, from the same and from yet another address
        FromAddress another = new FromAddress("127.0.0.4", server.port());
        for (int i = 1; i <= 11; i++) {
            signIn(guesser, "admin", "more guessing " + i);
            signIn(another, "admin", "more guessing " + i);
        }
        assertThat(signIn(another, "admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(429);
        assertThat(signIn(owner, "admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(server.signIn("admin", TestServer.ADMIN_PASSWORD).response().status()).isEqualTo(200);
    }

    @Test
    void an_address_that_fails_too_often_is_refused_for_every_account_while_other_addresses_are_not() {
        FromAddress sprayer = new FromAddress("127.0.0.5", server.port());
        int failures = 0;
        Http.Response last = null;
        for (int i = 0; i < 40 && (last == null || last.status() == 401); i++) {
            last = signIn(sprayer, "user" + (i % 8) + "@example.com", "a wrong password");
            if (last.status() == 401) {
                failures++;
            }
        }
        assertThat(failures).as("failures allowed per address").isEqualTo(30);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("Retry-After")).isPresent();
        assertThat(signIn(sprayer, "admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(429);
        assertThat(signIn(new FromAddress("127.0.0.6", server.port()), "admin", TestServer.ADMIN_PASSWORD).status())
                .isEqualTo(200);
    }

    @Test
    void a_real_sign_in_completes_promptly_during_floods_of_bogus_sign_ins_from_other_addresses() throws Exception {
        int addresses = 10;
        int concurrent = 200;
        int rounds = 5;
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        // long enough to measure how long it took without this throttle and pool: minutes
        FromAddress owner = new FromAddress("127.0.0.1", server.port()).waitingUpTo(Duration.ofMinutes(5));
        List<Long> quiet = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(signIn(owner, "admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(200);
            quiet.add((System.nanoTime() - start) / 1_000_000);
        }
        List<Long> millis = new ArrayList<>();
        ExecutorService flood = Executors.newFixedThreadPool(concurrent);
        try {
            for (int round = 0; round < rounds; round++) {
                // a flood: every bogus sign-in of the round is sent at once, then a real one right behind them
                CountDownLatch gate = new CountDownLatch(1);
                AtomicInteger sending = new AtomicInteger();
                List<Future<?>> bogus = new ArrayList<>();
                for (int t = 0; t < concurrent; t++) {
                    FromAddress from = new FromAddress("127.0.1." + (10 + t % addresses), server.port())
                            .waitingUpTo(Duration.ofMinutes(5));
                    String email = "nobody-" + round + "-" + t + "@example.com";
                    bogus.add(flood.submit(() -> {
                        Await.gate(gate);
                        sending.incrementAndGet();
                        int status = signIn(from, email, "a bogus password").status();
                        answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }));
                }
                gate.countDown();
                Await.until(Duration.ofSeconds(30), "the flood sent", () -> sending.get() == concurrent);
                long start = System.nanoTime();
                Http.Response response = signIn(owner, "admin", TestServer.ADMIN_PASSWORD);
                millis.add((System.nanoTime() - start) / 1_000_000);
                System.out.printf("round %d: real sign-in %d ms after %d concurrent bogus ones%n", round + 1,
                        millis.get(round), concurrent);
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                for (Future<?> each : bogus) {
                    each.get(5, TimeUnit.MINUTES);
                }
            }
        } finally {
            flood.shutdownNow();
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("real sign-in right behind %d rounds of %d concurrent bogus sign-ins from %d addresses: %s ms "
                + "(median %d ms, max %d ms; without a flood: %s ms); bogus answers by status: %s; load average %.1f on %d cores%n",
                rounds, concurrent, addresses, millis, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), quiet, answers,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        // bounded by the password pool's threads and queue: a few hashes' time, however many bogus
        // sign-ins there are (without the bound it grew with them: minutes here)
        assertThat(sorted.get(sorted.size() - 1)).as("slowest real sign-in, ms").isLessThan(30_000L);
        assertThat(answers).doesNotContainKey(500);
    }

    private static Http.Response signIn(FromAddress from, String email, String password) {
        return from.post("/api/v1/session", Map.of("email", email, "password", password));
    }
}
