package dev.darklaunch.sdk.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.internal.data.FlagChanges;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentPatch;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Requirement ({@code Snapshot#apply}): a patch compiled incrementally evaluates exactly like the
 * patched data compiled whole, and names exactly the flags that comparing the whole data before
 * and after names ({@code FlagChanges}), for any sequence of patches: flags added, changed,
 * re-sent unchanged and deleted, segments changed and deleted, prerequisite chains and cycles,
 * malformed flags (the generated data is not validated).
 */
class IncrementalPatchPropertiesTest {

    @Property(tries = 200)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void patchesAppliedOneByOneEvaluateLikeTheWholeDataCompiled(@ForAll("environments") EnvironmentData start,
                                                                 @ForAll("changeLists") List<EnvironmentArbitraries.Change> changes,
                                                                 @ForAll("contextLists") List<Context> contexts) {
        EnvironmentData data = start;
        Snapshot incremental = Snapshot.compile(start);
        for (EnvironmentArbitraries.Change change : changes) {
            EnvironmentPatch patch = change.patchTo(data, 1 + changes.size() % 3);
            EnvironmentData after = patch.applyTo(data);

            Snapshot.Patched patched = incremental.apply(patch);

            Set<String> expected = FlagChanges.between(data, after);
            assertThat(patched.changed()).as("changed keys after %s", patch).containsExactlyElementsOf(expected);
            Statistics.label("changed").collect(expected.size());
            assertSameEvaluations(patched.snapshot(), Snapshot.compile(after), contexts);
            assertThat(patched.snapshot().data()).isEqualTo(after);
            assertThat(patched.snapshot().revision()).isEqualTo(patch.revision());
            for (CompiledFlag replaced : patched.replaced()) {
                assertThat(patched.snapshot().flag(replaced.key())).isNotSameAs(replaced);
            }
            data = after;
            incremental = patched.snapshot();
        }
    }

    static void assertSameEvaluations(Snapshot actual, Snapshot expected, List<Context> contexts) {
        assertThat(actual.flagKeys()).isEqualTo(expected.flagKeys());
        Set<String> keys = new TreeSet<>(EnvironmentArbitraries.FLAG_KEYS);
        keys.addAll(expected.flagKeys());
        for (String key : keys) {
            CompiledFlag one = actual.flag(key);
            CompiledFlag other = expected.flag(key);
            assertThat(one == null).as("flag %s present", key).isEqualTo(other == null);
            if (one == null) {
                continue;
            }
            assertThat(one.facts()).isEqualTo(other.facts());
            for (Context context : contexts) {
                Outcome got = Evaluator.evaluate(actual, one, context);
                Outcome want = Evaluator.evaluate(expected, other, context);
                assertThat(got.variation()).as("%s for %s", key, context).isEqualTo(want.variation());
                assertThat(got.reason()).as("%s for %s", key, context).isEqualTo(want.reason());
                assertThat(got.jsonDetail().value()).as("%s for %s", key, context).isEqualTo(want.jsonDetail().value());
            }
        }
    }

    @Provide
    Arbitrary<EnvironmentData> environments() {
        return EnvironmentArbitraries.environments();
    }

    @Provide
    Arbitrary<List<EnvironmentArbitraries.Change>> changeLists() {
        return EnvironmentArbitraries.changes().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Context>> contextLists() {
        return EnvironmentArbitraries.contexts().list().ofMinSize(1).ofMaxSize(5);
    }
}
