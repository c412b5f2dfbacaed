package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.Operator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An SDK reads feed data from servers newer than itself: additions are ignored, not fatal. */
class FeedCompatibilityTest {

    @Test
    void properties_a_newer_server_adds_are_ignored() throws Exception {
        EnvironmentData data = FeedHttp.parseData("""
                {"revision": 3, "servedBy": "instance-7",
                 "flags": [{"flag": {"key": "a", "name": "A", "kind": "boolean", "owner": "x", "futureField": 1,
                                     "variations": [{"value": true, "weight": 3}, {"value": false}]},
                            "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 0}, "schedule": {}},
                            "stats": {}}],
                 "segments": []}""");
        assertThat(data.revision()).isEqualTo(3);
        assertThat(data.flags()).hasSize(1);

        EnvironmentPatch patch = FeedHttp.parsePatch("""
                {"previous": 3, "revision": 4, "flags": [], "segments": [], "deletedFlags": [], "deletedSegments": [],
                 "reason": "rollback"}""");
        assertThat(patch.revision()).isEqualTo(4);
    }

    @Test
    void a_newer_operator_reads_as_unknown_and_never_matches() throws Exception {
        EnvironmentData data = FeedHttp.parseData("""
                {"revision": 1, "segments": [],
                 "flags": [{"flag": {"key": "a", "name": "A", "kind": "boolean", "variations": [{"value": true}, {"value": false}]},
                            "config": {"on": true, "offVariation": 1, "fallthrough": {"variation": 1},
                                       "rules": [{"clauses": [{"attribute": "x", "op": "withinGeofence", "values": ["oslo"]}],
                                                  "serve": {"variation": 0}}]}}]}""");
        assertThat(data.flags().get(0).config().rules().get(0).clauses().get(0).op()).isEqualTo(Operator.UNKNOWN);
    }

    @Test
    void what_is_there_must_still_have_the_right_shape() {
        assertThatThrownBy(() -> FeedHttp.parseData("{\"revision\": \"3\", \"flags\": []}")).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> FeedHttp.parseData("""
                {"revision": 1, "segments": [], "flags": [{"flag": {"key": "a", "kind": 7}, "config": {}}]}"""))
                .isInstanceOf(java.io.IOException.class);
    }
}
