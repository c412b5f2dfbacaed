package dev.darklaunch.sdk.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Requirement ({@link LayeredMap}): after any sequence of changes the map holds exactly what a
 * plain map changed the same way holds — across layer merges — and every earlier version still
 * holds what it held (a snapshot, once published, never changes).
 */
class LayeredMapTest {

    /** One change: keys put (with a value) and keys removed. */
    record Change(Map<String, Integer> puts, List<String> removals) {
    }

    @Property(tries = 200)
    void everyVersionHoldsWhatAPlainMapChangedTheSameWayHolds(@ForAll("starts") Map<String, Integer> start,
                                                              @ForAll("changeLists") List<Change> changes) {
        List<LayeredMap<Integer>> versions = new ArrayList<>();
        List<Map<String, Integer>> expected = new ArrayList<>();
        LayeredMap<Integer> map = LayeredMap.of(new HashMap<>(start));
        Map<String, Integer> model = new HashMap<>(start);
        versions.add(map);
        expected.add(Map.copyOf(model));
        for (Change change : changes) {
            map = map.with(change.puts(), change.removals());
            model.putAll(change.puts());
            change.removals().forEach(model::remove);
            versions.add(map);
            expected.add(Map.copyOf(model));
        }
        for (int v = 0; v < versions.size(); v++) {
            assertHolds(versions.get(v), expected.get(v));
        }
    }

    private static void assertHolds(LayeredMap<Integer> map, Map<String, Integer> expected) {
        Map<String, Integer> seen = new HashMap<>();
        map.forEach(seen::put);
        assertThat(seen).isEqualTo(expected);
        assertThat(map.size()).isEqualTo(expected.size());
        for (int k = 0; k < 400; k++) {
            assertThat(map.get("k" + k)).isEqualTo(expected.get("k" + k));
        }
    }

    @Provide
    Arbitrary<Map<String, Integer>> starts() {
        return Arbitraries.maps(keys(), Arbitraries.integers()).ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Change>> changeLists() {
        Arbitrary<Change> change = Combinators.combine(Arbitraries.maps(keys(), Arbitraries.integers()).ofMaxSize(12),
                keys().list().ofMaxSize(12)).as(Change::new);
        return change.list().ofMaxSize(40);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.integers().between(0, 399).map(k -> "k" + k);
    }
}
