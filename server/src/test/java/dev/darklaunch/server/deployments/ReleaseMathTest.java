package dev.darklaunch.server.deployments;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.WeightedVariation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseMathTest {

    private static final Flag FLAG = Flag.ofBoolean("new-checkout", "New checkout");

    @Test
    void a_share_is_a_rollout_with_true_first_so_raising_it_only_adds_contexts() {
        FlagConfig released = ReleaseMath.released(FLAG, FlagConfig.off(FLAG), 10_000);
        assertThat(released.on()).isTrue();
        assertThat(released.fallthrough().rollout().variations())
                .containsExactly(new WeightedVariation(0, 10_000), new WeightedVariation(1, 90_000));
        assertThat(ReleaseMath.weightOn(FLAG, released)).isEqualTo(10_000);
    }

    @Test
    void everyone_is_the_true_variation_itself() {
        FlagConfig released = ReleaseMath.released(FLAG, FlagConfig.off(FLAG), 100_000);
        assertThat(released.fallthrough()).isEqualTo(Serve.ofVariation(0));
        assertThat(ReleaseMath.weightOn(FLAG, released)).isEqualTo(100_000);
        assertThat(ReleaseMath.weightOn(FLAG, released.withOn(false))).as("off serves nobody").isZero();
    }

    @Test
    void an_existing_rollout_keeps_its_bucketing_so_nobody_changes_buckets() {
        FlagConfig byAccount = new FlagConfig(true, 1, List.of(), List.of(), Serve.ofRollout(new Rollout(
                List.of(new WeightedVariation(0, 1_000), new WeightedVariation(1, 99_000)), "account", "salt-1")), List.of());
        Rollout raised = ReleaseMath.released(FLAG, byAccount, 50_000).fallthrough().rollout();
        assertThat(raised.bucketBy()).isEqualTo("account");
        assertThat(raised.salt()).isEqualTo("salt-1");
    }

    @Test
    void a_rollout_out_of_another_total_is_read_as_a_share() {
        FlagConfig imported = new FlagConfig(true, 1, List.of(), List.of(), Serve.ofRollout(new Rollout(
                List.of(new WeightedVariation(0, 25), new WeightedVariation(1, 75)), null, null, null, 100)), List.of());
        assertThat(ReleaseMath.weightOn(FLAG, imported)).isEqualTo(25_000);
    }
}
