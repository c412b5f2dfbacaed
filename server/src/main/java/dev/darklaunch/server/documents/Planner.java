package dev.darklaunch.server.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentCheck;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.store.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides what applying a document to a project does — the plan, the writes, the change-log
 * entries and the audit events — and validates the project as it would be with the same rules as
 * single writes: every definition and configuration ({@link ModelValidator}), the flags and
 * segments they refer to, and each environment's prerequisite paths and evaluation cost
 * ({@link EnvironmentCheck}). Pure (no I/O); a refusal names the place in the document.
 * Validating compiles the rules' patterns: call it on a worker.
 */
final class Planner {

    /** A decided apply. */
    record Decided(ProjectState state, Plan plan, DocumentStore.Writes writes, List<ChangeLog.Entry> changeLog, List<Change> audit) {
    }

    private final ProjectState state;
    private final ProjectDocument document;
    private final boolean prune;
    private final List<Plan.Resource> resources = new ArrayList<>();
    private final List<Change> audit = new ArrayList<>();
    private final Set<ChangeLog.Entry> changeLog = new LinkedHashSet<>();
    private final Map<String, Integer> summary = new TreeMap<>();
    /** Where each flag's and segment's entry is in the document, for the paths of refusals. */
    private final Map<String, Integer> flagIndex = new HashMap<>();
    private final Map<String, Integer> segmentIndex = new HashMap<>();
    /** The project as it will be, per environment: flags and segments by key. */
    private final Map<String, Map<String, EnvironmentFlag>> flagsAfter = new TreeMap<>();
    private final Map<String, Map<String, EnvironmentSegment>> segmentsAfter = new TreeMap<>();
    private final List<Flag> createdFlags = new ArrayList<>();
    private final List<DocumentStore.ConfigRow> createdFlagConfigs = new ArrayList<>();
    private final List<Flag> definedFlags = new ArrayList<>();
    private final List<DocumentStore.ConfigRow> configuredFlags = new ArrayList<>();
    private final List<String> deletedFlags = new ArrayList<>();
    private final List<Segment> createdSegments = new ArrayList<>();
    private final List<DocumentStore.ConfigRow> createdSegmentConfigs = new ArrayList<>();
    private final List<Segment> definedSegments = new ArrayList<>();
    private final List<DocumentStore.ConfigRow> configuredSegments = new ArrayList<>();
    private final List<String> deletedSegments = new ArrayList<>();
    private final String actor;
    private final Optional<String> comment;

    private Planner(ProjectState state, ProjectDocument document, boolean prune, String actor, Optional<String> comment) {
        this.state = state;
        this.document = document;
        this.prune = prune;
        this.actor = actor;
        this.comment = comment;
    }

    /**
     * The plan of applying {@code document} (whose SHA-256 is {@code hash}) to the project as read,
     * deleting what it leaves out only if {@code prune}; fails with {@link Failure.Invalid} naming
     * the document's path when the project would break a rule.
     */
    static Decided decide(ProjectState state, ProjectDocument document, String hash, boolean prune, String actor,
                          Optional<String> comment) {
        return new Planner(state, document, prune, actor, comment).run(hash);
    }

    private Decided run(String hash) {
        state.environments().keySet().forEach(environment -> {
            Map<String, EnvironmentFlag> flags = new TreeMap<>();
            state.flags().forEach((key, flag) -> flags.put(key, new EnvironmentFlag(flag.flag(), flag.configs().get(environment).value())));
            flagsAfter.put(environment, flags);
            Map<String, EnvironmentSegment> segments = new TreeMap<>();
            state.segments().forEach((key, segment) -> segments.put(key,
                    new EnvironmentSegment(key, segment.configs().get(environment).value())));
            segmentsAfter.put(environment, segments);
        });
        for (int i = 0; i < document.segments().size(); i++) {
            segment(i, document.segments().get(i));
        }
        for (int i = 0; i < document.flags().size(); i++) {
            flag(i, document.flags().get(i));
        }
        if (prune) {
            prune();
        }
        checkEnvironments();
        Plan plan = new Plan(state.scope().project(), hash, state.token(), state.revisions(),
                resources.stream().anyMatch(r -> !r.action().equals("unchanged")), summary, resources);
        DocumentStore.Writes writes = new DocumentStore.Writes(createdFlags, createdFlagConfigs, definedFlags, configuredFlags,
                deletedFlags, createdSegments, createdSegmentConfigs, definedSegments, configuredSegments, deletedSegments);
        return new Decided(state, plan, writes, List.copyOf(changeLog), audit);
    }

    private void segment(int index, ProjectDocument.SegmentEntry entry) {
        String at = "segments[" + index + "]";
        Segment segment = entry.segment();
        valid(at, () -> ModelValidator.validateSegment(segment));
        segmentIndex.put(segment.key(), index);
        ProjectState.StoredSegment stored = state.segments().get(segment.key());
        knownEnvironments(at, entry.environments().keySet());
        if (stored == null) {
            resource("segment", segment.key(), null, "create", null, List.of());
            createdSegments.add(segment);
            audit.add(new Change(actor, "segment.create", project(), null, "segment", segment.key(), null, segment, comment));
            everywhere("segment", segment.key());
        } else if (!stored.segment().equals(segment)) {
            resource("segment", segment.key(), null, "update", stored.version(), Diff.between(tree(stored.segment()), tree(segment)));
            definedSegments.add(segment);
            audit.add(new Change(actor, "segment.update", project(), null, "segment", segment.key(), stored.segment(), segment, comment));
        } else {
            resource("segment", segment.key(), null, "unchanged", stored.version(), null);
        }
        for (var environment : state.environments().values()) {
            SegmentConfig config = entry.environments().get(environment.key());
            String where = at + ".environments." + environment.key();
            if (config != null) {
                valid(where, () -> ModelValidator.validateSegmentConfig(config));
            }
            if (stored == null) {
                SegmentConfig written = config == null ? SegmentConfig.empty() : config;
                createdSegmentConfigs.add(new DocumentStore.ConfigRow(segment.key(), environment.id(), Json.write(written)));
                segmentsAfter.get(environment.key()).put(segment.key(), new EnvironmentSegment(segment.key(), written));
                resource("segmentConfig", segment.key(), environment.key(), "create", null, null);
                continue;
            }
            if (config == null) {
                continue;
            }
            ProjectState.Versioned<SegmentConfig> was = stored.configs().get(environment.key());
            if (was.value().equals(config)) {
                resource("segmentConfig", segment.key(), environment.key(), "unchanged", was.version(), null);
                continue;
            }
            resource("segmentConfig", segment.key(), environment.key(), "update", was.version(), Diff.between(tree(was.value()), tree(config)));
            configuredSegments.add(new DocumentStore.ConfigRow(segment.key(), environment.id(), Json.write(config)));
            segmentsAfter.get(environment.key()).put(segment.key(), new EnvironmentSegment(segment.key(), config));
            changeLog.add(new ChangeLog.Entry(environment.id(), "segment", segment.key()));
            audit.add(new Change(actor, "segment.config.update", project(), environment.key(), "segment", segment.key(), was.value(),
                    config, comment));
        }
    }

    private void flag(int index, ProjectDocument.FlagEntry entry) {
        String at = "flags[" + index + "]";
        Flag flag = entry.flag();
        valid(at, () -> ModelValidator.validateFlag(flag));
        flagIndex.put(flag.key(), index);
        ProjectState.StoredFlag stored = state.flags().get(flag.key());
        knownEnvironments(at, entry.environments().keySet());
        if (stored == null) {
            resource("flag", flag.key(), null, "create", null, List.of());
            createdFlags.add(flag);
            audit.add(new Change(actor, "flag.create", project(), null, "flag", flag.key(), null, flag, comment));
            everywhere("flag", flag.key());
        } else if (!stored.flag().equals(flag)) {
            resource("flag", flag.key(), null, "update", stored.version(), Diff.between(tree(stored.flag()), tree(flag)));
            definedFlags.add(flag);
            audit.add(new Change(actor, "flag.update", project(), null, "flag", flag.key(), stored.flag(), flag, comment));
            everywhere("flag", flag.key());
        } else {
            resource("flag", flag.key(), null, "unchanged", stored.version(), null);
        }
        for (var environment : state.environments().values()) {
            FlagConfig config = entry.environments().get(environment.key());
            String where = at + ".environments." + environment.key();
            ProjectState.Versioned<FlagConfig> was = stored == null ? null : stored.configs().get(environment.key());
            FlagConfig after = config != null ? config : was != null ? was.value() : FlagConfig.off(flag);
            // a configuration the document leaves alone must still fit a changed definition
            valid(config != null ? where : at + ".variations", () -> ModelValidator.validateConfig(flag, after));
            flagsAfter.get(environment.key()).put(flag.key(), new EnvironmentFlag(flag, after));
            if (stored == null) {
                createdFlagConfigs.add(new DocumentStore.ConfigRow(flag.key(), environment.id(), Json.write(after)));
                resource("flagConfig", flag.key(), environment.key(), "create", null, null);
                if (config != null) {
                    audit.add(new Change(actor, "flag.config.update", project(), environment.key(), "flag", flag.key(), null, after,
                            comment));
                }
                continue;
            }
            if (config == null) {
                continue;
            }
            if (was.value().equals(config)) {
                resource("flagConfig", flag.key(), environment.key(), "unchanged", was.version(), null);
                continue;
            }
            resource("flagConfig", flag.key(), environment.key(), "update", was.version(), Diff.between(tree(was.value()), tree(config)));
            configuredFlags.add(new DocumentStore.ConfigRow(flag.key(), environment.id(), Json.write(config)));
            changeLog.add(new ChangeLog.Entry(environment.id(), "flag", flag.key()));
            audit.add(new Change(actor, "flag.config.update", project(), environment.key(), "flag", flag.key(), was.value(), config,
                    comment));
        }
    }

    /** Flags and segments that the document leaves out go (their configurations with them). */
    private void prune() {
        state.flags().forEach((key, stored) -> {
            if (!flagIndex.containsKey(key)) {
                resource("flag", key, null, "delete", stored.version(), null);
                deletedFlags.add(key);
                flagsAfter.values().forEach(flags -> flags.remove(key));
                audit.add(new Change(actor, "flag.delete", project(), null, "flag", key, stored.flag(), null, comment));
                everywhere("flag", key);
            }
        });
        state.segments().forEach((key, stored) -> {
            if (!segmentIndex.containsKey(key)) {
                resource("segment", key, null, "delete", stored.version(), null);
                deletedSegments.add(key);
                segmentsAfter.values().forEach(segments -> segments.remove(key));
                audit.add(new Change(actor, "segment.delete", project(), null, "segment", key, stored.segment(), null, comment));
                everywhere("segment", key);
            }
        });
    }

    /**
     * Each environment as it will be: what its configurations name must exist, and it must keep to
     * {@link EnvironmentCheck}'s rules — refusing only new problems, as single writes do (data from
     * before the rules does not block an apply).
     */
    private void checkEnvironments() {
        flagsAfter.forEach((environment, flags) -> {
            Map<String, EnvironmentSegment> segments = segmentsAfter.get(environment);
            for (EnvironmentFlag flag : flags.values()) {
                references(environment, flag.flag().key(), flag.config(), flags, segments);
            }
            EnvironmentData after = new EnvironmentData(0, List.copyOf(flags.values()), List.copyOf(segments.values()));
            Map<String, EnvironmentCheck.Problem> problems = EnvironmentCheck.check(after).problems();
            if (problems.isEmpty()) {
                return;
            }
            Map<String, EnvironmentCheck.Problem> was = EnvironmentCheck.check(before(environment)).problems();
            for (String key : new java.util.TreeSet<>(problems.keySet())) {
                if (!was.containsKey(key)) {
                    throw Failure.invalid(configPath(key, environment, problems.get(key).field()),
                            "flag '" + key + "' in " + environment + ": " + problems.get(key).message());
                }
            }
        });
    }

    private EnvironmentData before(String environment) {
        List<EnvironmentFlag> flags = new ArrayList<>();
        state.flags().forEach((key, flag) -> flags.add(new EnvironmentFlag(flag.flag(), flag.configs().get(environment).value())));
        List<EnvironmentSegment> segments = new ArrayList<>();
        state.segments().forEach((key, segment) -> segments.add(new EnvironmentSegment(key, segment.configs().get(environment).value())));
        return new EnvironmentData(0, flags, segments);
    }

    private void references(String environment, String key, FlagConfig config, Map<String, EnvironmentFlag> flags,
                            Map<String, EnvironmentSegment> segments) {
        for (int i = 0; i < config.prerequisites().size(); i++) {
            Prerequisite prerequisite = config.prerequisites().get(i);
            EnvironmentFlag required = flags.get(prerequisite.flag());
            if (required == null) {
                throw Failure.invalid(configPath(key, environment, "prerequisites[" + i + "].flag"), "flag '" + key + "' in "
                        + environment + " requires flag '" + prerequisite.flag() + "', which the project would not have");
            }
            if (prerequisite.variation() >= required.flag().variations().size()) {
                throw Failure.invalid(configPath(key, environment, "prerequisites[" + i + "].variation"), "flag '"
                        + prerequisite.flag() + "' has only " + required.flag().variations().size() + " variations");
            }
        }
        for (int r = 0; r < config.rules().size(); r++) {
            Rule rule = config.rules().get(r);
            for (int c = 0; c < rule.clauses().size(); c++) {
                Clause clause = rule.clauses().get(c);
                if (clause.op() != Operator.SEGMENT_MATCH) {
                    continue;
                }
                for (int v = 0; v < clause.values().size(); v++) {
                    String segment = clause.values().get(v).asText();
                    if (!segments.containsKey(segment)) {
                        throw Failure.invalid(configPath(key, environment, "rules[" + r + "].clauses[" + c + "].values[" + v + "]"),
                                "flag '" + key + "' in " + environment + " matches segment '" + segment
                                        + "', which the project would not have");
                    }
                }
            }
        }
    }

    /** The path of a flag's configuration field in the document, or the flag's key where the document leaves it out. */
    private String configPath(String key, String environment, String field) {
        Integer index = flagIndex.get(key);
        if (index == null) {
            return "flags";
        }
        boolean listed = document.flags().get(index).environments().containsKey(environment);
        String at = "flags[" + index + "]";
        return listed ? at + ".environments." + environment + (field == null || field.isEmpty() ? "" : "." + field) : at;
    }

    private void knownEnvironments(String at, Set<String> environments) {
        for (String environment : environments) {
            if (!state.environments().containsKey(environment)) {
                throw Failure.invalid(at + ".environments." + environment, "project '" + project() + "' has no environment '"
                        + environment + "' (it has " + String.join(", ", state.environments().keySet()) + ")");
            }
        }
    }

    private void everywhere(String kind, String key) {
        state.environments().values().forEach(environment -> changeLog.add(new ChangeLog.Entry(environment.id(), kind, key)));
    }

    private void resource(String kind, String key, String environment, String action, Long version, List<Diff.FieldChange> diff) {
        resources.add(new Plan.Resource(kind, key, environment, action, version, diff == null || diff.isEmpty() ? null : diff));
        summary.merge(action, 1, Integer::sum);
    }

    private String project() {
        return state.scope().project();
    }

    private static JsonNode tree(Object value) {
        return Json.mapper().valueToTree(value);
    }

    private static void valid(String at, Runnable check) {
        try {
            check.run();
        } catch (InvalidModelException e) {
            throw Failure.invalid(e.field() == null || e.field().isEmpty() ? at : at + "." + e.field(), e.getMessage());
        }
    }
}
