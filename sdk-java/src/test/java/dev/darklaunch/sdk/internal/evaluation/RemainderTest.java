package dev.darklaunch.sdk.internal.evaluation;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Bucketing's division-free remainder equals {@code %} for every 32-bit hash and every total a rollout allows. */
class RemainderTest {

    @Property(tries = 20_000)
    void the_remainder_by_multiplication_equals_the_remainder_by_division(
            @ForAll @LongRange(min = 0, max = 0xffff_ffffL) long hash, @ForAll @IntRange(min = 1, max = 100_000) int total) {
        assertThat(CompiledRollout.remainder(hash, total, CompiledRollout.reciprocal(total))).isEqualTo((int) (hash % total));
    }

    @Test
    void the_edges_of_the_hash_range_and_of_the_totals() {
        for (long hash : new long[]{0, 1, 99_999, 100_000, 0x7fff_ffffL, 0x8000_0000L, 0xffff_fffeL, 0xffff_ffffL}) {
            for (int total : new int[]{1, 2, 3, 7, 100, 1000, 99_999, 100_000}) {
                assertThat(CompiledRollout.remainder(hash, total, CompiledRollout.reciprocal(total)))
                        .as("%d %% %d", hash, total).isEqualTo((int) (hash % total));
            }
        }
    }
}
