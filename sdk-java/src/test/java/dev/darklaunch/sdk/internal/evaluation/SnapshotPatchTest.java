package dev.darklaunch.sdk.internal.evaluation;

import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.FALSE;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.TRUE;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.clause;
import static dev.darklaunch.sdk.internal.evaluation.EvaluationFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.internal.data.FlagChanges;
import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.sdk.internal.model.Serve;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Requirement ({@code Snapshot#apply}): a patch compiles only the flags and segments it touches and
 * the flags that depend on them — through a segment their rules name, or a prerequisite, however
 * far up the chain — and shares every other compiled flag with the snapshot before. Each patch
 * here is also checked against the patched data compiled whole: the same evaluations and the same
 * changed keys as {@link FlagChanges} finds.
 */
class SnapshotPatchTest {

    private static final Reason MALFORMED = Reason.error(Reason.ErrorKind.MALFORMED_FLAG);
    private static final List<Context> CONTEXTS = List.of(Context.of("u1"), Context.of("u2"), Context.of("u3"));

    @Test
    void aChangedSegmentRecompilesTheFlagsThatNameItAndTheirDependentsOnly() {
        Snapshot before = compile(List.of(segment("beta", "u1")),
                inSegment("a", "beta"), plain("b", true), plain("c", true, new Prerequisite("a", TRUE)));
        assertThat(evaluate(before, "a", "u2").reason()).isEqualTo(Reason.fallthrough(false));

        Snapshot.Patched patched = apply(before, patch(before, List.of(), List.of(segment("beta", "u2")), List.of(), List.of()));

        assertThat(patched.changed()).containsExactly("a", "c");
        Snapshot after = patched.snapshot();
        assertThat(evaluate(after, "a", "u2").reason()).isEqualTo(Reason.ruleMatch(0, "in-beta", false));
        assertThat(evaluate(after, "c", "u1").reason()).isEqualTo(Reason.prerequisiteFailed("a"));
        assertThat(evaluate(after, "c", "u2").reason()).isEqualTo(Reason.fallthrough(false));
        assertThat(after.flag("b")).as("untouched").isSameAs(before.flag("b"));
        assertThat(patched.replaced()).containsExactlyInAnyOrder(before.flag("a"), before.flag("c"));
    }

    @Test
    void aSegmentAddedAfterTheFlagsThatNameItIsFoundAndItsRemovalToo() {
        Snapshot before = compile(List.of(), inSegment("a", "late"), plain("b", true));

        Snapshot.Patched added = apply(before, patch(before, List.of(), List.of(segment("late", "u1")), List.of(), List.of()));
        assertThat(added.changed()).containsExactly("a");
        assertThat(evaluate(added.snapshot(), "a", "u1").variation()).isEqualTo(TRUE);

        Snapshot.Patched removed = apply(added.snapshot(), patch(added.snapshot(), List.of(), List.of(), List.of(), List.of("late")));
        assertThat(removed.changed()).containsExactly("a");
        assertThat(evaluate(removed.snapshot(), "a", "u1").variation()).isEqualTo(FALSE);
    }

    @Test
    void aChangeTravelsUpThePrerequisiteChain() {
        Snapshot before = compile(List.of(), plain("a", true), plain("b", true, new Prerequisite("a", TRUE)),
                plain("c", true, new Prerequisite("b", TRUE)), plain("d", true));

        Snapshot.Patched patched = apply(before, patch(before, List.of(plain("a", false)), List.of(), List.of(), List.of()));

        assertThat(patched.changed()).containsExactly("a", "b", "c");
        assertThat(evaluate(patched.snapshot(), "c", "u1").reason()).isEqualTo(Reason.prerequisiteFailed("b"));
        assertThat(patched.snapshot().flag("d")).isSameAs(before.flag("d"));
    }

    @Test
    void aRemovedFlagFailsItsDependentsAndAddingItBackLinksThemAgain() {
        Snapshot before = compile(List.of(), plain("a", true), plain("b", true, new Prerequisite("a", TRUE)),
                plain("c", true, new Prerequisite("b", TRUE)));

        Snapshot.Patched removed = apply(before, patch(before, List.of(), List.of(), List.of("a"), List.of()));
        assertThat(removed.changed()).containsExactly("a", "b", "c");
        assertThat(removed.snapshot().flag("a")).isNull();
        assertThat(evaluate(removed.snapshot(), "b", "u1").reason()).isEqualTo(Reason.prerequisiteFailed("a"));

        Snapshot.Patched back = apply(removed.snapshot(), patch(removed.snapshot(), List.of(plain("a", true)), List.of(), List.of(), List.of()));
        assertThat(back.changed()).containsExactly("a", "b", "c");
        assertThat(evaluate(back.snapshot(), "c", "u1").reason()).isEqualTo(Reason.fallthrough(false));
    }

    @Test
    void aMalformedFlagInAPatchAffectsOnlyThatFlagAndWhatRequiresIt() {
        Snapshot before = compile(List.of(), plain("a", true), plain("b", true), plain("c", true, new Prerequisite("b", TRUE)));
        EnvironmentFlag outOfRange = new EnvironmentFlag(Flag.ofBoolean("b", "b"),
                new FlagConfig(true, FALSE, List.of(), List.of(), Serve.ofVariation(7), List.of()));
        Rule bomb = rule("bomb", Serve.ofVariation(TRUE), clause("email", Operator.MATCHES, "((a{1000}){1000}){1000}"));
        EnvironmentFlag tooLarge = new EnvironmentFlag(Flag.ofBoolean("e", "e"),
                new FlagConfig(true, FALSE, List.of(), List.of(bomb), Serve.ofVariation(FALSE), List.of()));

        Snapshot.Patched patched = apply(before, patch(before, List.of(outOfRange, tooLarge), List.of(), List.of(), List.of()));

        assertThat(patched.changed()).containsExactly("b", "c", "e");
        assertThat(evaluate(patched.snapshot(), "b", "u1").reason()).isEqualTo(MALFORMED);
        assertThat(evaluate(patched.snapshot(), "e", "u1").reason()).isEqualTo(MALFORMED);
        assertThat(evaluate(patched.snapshot(), "c", "u1").reason()).isEqualTo(Reason.prerequisiteFailed("b"));
        assertThat(patched.snapshot().flag("a")).isSameAs(before.flag("a"));
    }

    @Test
    void aCycleMadeByOnePatchIsMalformedUntilTheNextUnmakesIt() {
        Snapshot before = compile(List.of(), plain("a", true, new Prerequisite("b", TRUE)), plain("b", true),
                plain("c", true, new Prerequisite("a", TRUE)), plain("d", true));

        Snapshot.Patched cycled = apply(before, patch(before, List.of(plain("b", true, new Prerequisite("a", TRUE))),
                List.of(), List.of(), List.of()));
        assertThat(cycled.changed()).containsExactly("a", "b", "c");
        for (String key : List.of("a", "b", "c")) {
            assertThat(evaluate(cycled.snapshot(), key, "u1").reason()).as(key).isEqualTo(MALFORMED);
        }

        Snapshot.Patched fixed = apply(cycled.snapshot(), patch(cycled.snapshot(), List.of(plain("b", true)), List.of(), List.of(), List.of()));
        for (String key : List.of("a", "b", "c")) {
            assertThat(evaluate(fixed.snapshot(), key, "u1").reason()).as(key).isEqualTo(Reason.fallthrough(false));
        }
        assertThat(fixed.snapshot().flag("d")).isSameAs(before.flag("d"));
    }

    @Test
    void thePrerequisiteBoundCountsThroughFlagsThePatchDidNotTouch() {
        int bound = EnvironmentCheck.MAX_PREREQUISITE_EVALUATIONS;
        List<EnvironmentFlag> chain = new ArrayList<>(); // f0 requires f1 … requires f{bound}: exactly at the bound
        for (int i = 0; i < bound; i++) {
            chain.add(plain("f" + i, true, new Prerequisite("f" + (i + 1), TRUE)));
        }
        chain.add(plain("f" + bound, true));
        Snapshot before = compile(List.of(), chain.toArray(EnvironmentFlag[]::new));
        assertThat(evaluate(before, "f0", "u1").reason()).isEqualTo(Reason.fallthrough(false));

        Snapshot.Patched longer = apply(before, patch(before, List.of(plain("f" + bound, true, new Prerequisite("f" + (bound + 1), TRUE)),
                plain("f" + (bound + 1), true)), List.of(), List.of(), List.of()));

        assertThat(longer.changed()).hasSize(bound + 2);
        assertThat(evaluate(longer.snapshot(), "f0", "u1").reason()).isEqualTo(MALFORMED);
        assertThat(evaluate(longer.snapshot(), "f1", "u1").reason()).as("one link shorter").isEqualTo(Reason.fallthrough(false));
    }

    @Test
    void aOneFlagChangeSharesEveryOtherFlagAndAResentFlagChangesNothing() {
        EnvironmentFlag[] flags = IntStream.range(0, 1_000).mapToObj(i -> plain("f" + i, true)).toArray(EnvironmentFlag[]::new);
        Snapshot before = compile(List.of(), flags);

        Snapshot.Patched patched = apply(before, patch(before, List.of(plain("f500", false), flags[7]), List.of(), List.of(), List.of()));

        assertThat(patched.changed()).containsExactly("f500");
        for (int i = 0; i < flags.length; i++) {
            if (i != 500) {
                assertThat(patched.snapshot().flag("f" + i)).isSameAs(before.flag("f" + i));
            }
        }
    }

    @Test
    void aPatchFromAnotherRevisionIsRefusedAndChangesNothing() {
        Snapshot before = compile(List.of(), plain("a", true));
        EnvironmentPatch skipping = new EnvironmentPatch(before.revision() + 1, before.revision() + 2,
                List.of(plain("a", false)), List.of(), List.of(), List.of());

        assertThatThrownBy(() -> before.apply(skipping)).isInstanceOf(IllegalStateException.class);
        assertThat(evaluate(before, "a", "u1").reason()).isEqualTo(Reason.fallthrough(false));
    }

    /** Applies the patch, checking it against the patched data compiled whole. */
    private static Snapshot.Patched apply(Snapshot before, EnvironmentPatch patch) {
        EnvironmentData after = patch.applyTo(before.data());
        Snapshot.Patched patched = before.apply(patch);
        assertThat(patched.changed()).isEqualTo(FlagChanges.between(before.data(), after));
        IncrementalPatchPropertiesTest.assertSameEvaluations(patched.snapshot(), Snapshot.compile(after), CONTEXTS);
        return patched;
    }

    private static EnvironmentPatch patch(Snapshot before, List<EnvironmentFlag> flags, List<EnvironmentSegment> segments,
                                          List<String> deletedFlags, List<String> deletedSegments) {
        return new EnvironmentPatch(before.revision(), before.revision() + 1, flags, segments, deletedFlags, deletedSegments);
    }

    private static Snapshot compile(List<EnvironmentSegment> segments, EnvironmentFlag... flags) {
        return Snapshot.compile(new EnvironmentData(1, List.of(flags), segments));
    }

    /** A boolean flag serving true (off: false) after these prerequisites. */
    private static EnvironmentFlag plain(String key, boolean on, Prerequisite... prerequisites) {
        return new EnvironmentFlag(Flag.ofBoolean(key, key),
                new FlagConfig(on, FALSE, List.of(), List.of(), Serve.ofVariation(TRUE), List.of(prerequisites)));
    }

    /** A boolean flag serving true to the segment's members, false to everyone else. */
    private static EnvironmentFlag inSegment(String key, String segment) {
        Rule member = rule("in-" + segment, Serve.ofVariation(TRUE), clause("key", Operator.SEGMENT_MATCH, segment));
        return new EnvironmentFlag(Flag.ofBoolean(key, key),
                new FlagConfig(true, FALSE, List.of(), List.of(member), Serve.ofVariation(FALSE), List.of()));
    }

    private static EnvironmentSegment segment(String key, String... included) {
        return new EnvironmentSegment(key, new SegmentConfig(List.of(included), List.of(), List.of()));
    }

    private static Outcome evaluate(Snapshot snapshot, String key, String contextKey) {
        return Evaluator.evaluate(snapshot, snapshot.flag(key), Context.of(contextKey));
    }
}
