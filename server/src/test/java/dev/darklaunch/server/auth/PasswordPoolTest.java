package dev.darklaunch.server.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPoolTest {

    @Test
    void a_full_line_takes_a_check_with_fewer_recent_failures_in_place_of_the_worst_placed_one() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(2);
        try (PasswordPool pool = new PasswordPool(1, 2)) {
            assertThat(pool.submit(0, () -> {
                started.countDown();
                awaitQuietly(busy);
            }, () -> refused.add("blocker"))).isTrue();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(pool.submit(5, check("guesser 1", ran, finished), () -> refused.add("guesser 1"))).isTrue();
            assertThat(pool.submit(5, check("guesser 2", ran, finished), () -> refused.add("guesser 2"))).isTrue();
            assertThat(pool.submit(9, check("worse guesser", ran, finished), () -> refused.add("worse guesser")))
                    .as("a full line of better-placed checks").isFalse();
            assertThat(pool.submit(0, check("owner", ran, finished), () -> refused.add("owner"))).isTrue();
            assertThat(refused).as("the last of the worst placed makes room").containsExactly("guesser 2");

            busy.countDown();
            assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).containsExactly("owner", "guesser 1");
        }
    }

    private static Runnable check(String name, List<String> ran, CountDownLatch finished) {
        return () -> {
            ran.add(name);
            finished.countDown();
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
