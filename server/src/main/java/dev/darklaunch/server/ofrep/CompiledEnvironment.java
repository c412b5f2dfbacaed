package dev.darklaunch.server.ofrep;

import dev.darklaunch.sdk.internal.evaluation.Snapshot;
import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One environment at one revision, compiled once for OFREP: the SDK's own compiled snapshot (so
 * answers equal the SDK's, and each flag's variant names, metadata and whether it is the same for
 * everyone come from the SDK's own facts), and per flag what only the server needs to know.
 *
 * @param flags every flag by key
 * @param all   every flag, by key in order (the bulk answer's order, so equal answers are equal bytes)
 */
record CompiledEnvironment(long revision, Snapshot snapshot, Map<String, FlagFacts> flags, List<FlagFacts> all) {

    /**
     * @param clientSide whether client tokens may evaluate it
     * @param cost       the most one evaluation may cost ({@link dev.darklaunch.sdk.internal.model.EvaluationCost} units)
     */
    record FlagFacts(String key, boolean clientSide, long cost) {
    }

    static CompiledEnvironment compile(EnvironmentData data) {
        Snapshot snapshot = Snapshot.compile(data);
        EnvironmentCheck.Result checked = EnvironmentCheck.check(data);
        Map<String, FlagFacts> flags = new HashMap<>();
        List<FlagFacts> all = new ArrayList<>();
        for (EnvironmentFlag flag : data.flags()) {
            FlagFacts facts = new FlagFacts(flag.flag().key(), flag.flag().clientSide(),
                    checked.costs().getOrDefault(flag.flag().key(), 1L));
            flags.put(facts.key(), facts);
            all.add(facts);
        }
        all.sort(Comparator.comparing(FlagFacts::key));
        return new CompiledEnvironment(data.revision(), snapshot, Map.copyOf(flags), List.copyOf(all));
    }
}
