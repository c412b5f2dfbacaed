package dev.darklaunch.server.imports;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.changes.AuditLog;
import dev.darklaunch.server.changes.Change;
import dev.darklaunch.server.changes.ChangeLog;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.flags.EnvironmentDataStore;
import dev.darklaunch.server.flags.Validation;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import dev.darklaunch.server.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes an import into a project in one transaction: segment and flag definitions project-wide
 * (new ones start off, or empty, in every other environment), their configurations in the
 * imported environment, and one revision per affected environment. What is already as imported
 * is left alone, so importing the same payload twice changes nothing the second time.
 *
 * <p>Definitions are shared by every environment (SDKs of each are served a flag's kind,
 * variations and whether it is archived), so an import into one environment changes what the
 * others serve when it creates or changes a definition. It is audited as every definition edit
 * is: a project-wide event ({@code flag.import} or {@code segment.import} with no environment,
 * the definition before and after), next to the imported environment's event for the
 * configuration it wrote; and every environment gets a new revision and change-log rows, so its
 * SDKs get the new definition as a patch.
 *
 * <p>A flag that exists keeps its variations, and values it lacks are appended: variation indexes
 * are what other environments' configurations refer to, and an import into one environment must
 * not change what another serves. The imported configuration is renumbered to match (prerequisites
 * too, by the numbering of the flag they name). Prerequisites and segment matches only name
 * flags and segments of the same import, which are all written before any configuration, and the
 * importer never makes a prerequisite cycle; so the reference checks of single edits are not
 * needed here.
 *
 * <p>The round trips do not grow with the import: it locks what it touches with one statement
 * per kind, reads the environment once, decides and validates everything in memory (on a worker),
 * then writes each kind with one statement of arrays ({@link ImportStatements}), the change log
 * with one and the audit events with one — about a dozen round trips for 5 flags or 500: scope →
 * lock → validate → write → change log → audit → answer, as every versioned write.
 */
public final class ImportStore {

    /** What an import did. */
    public record Summary(String environment, Changes flags, Changes segments, List<UnleashImport.ImportedFeature> features,
                          List<UnleashImport.Warning> warnings) {
    }

    /** Keys by what happened to them. */
    public record Changes(List<String> created, List<String> updated, List<String> unchanged) {
    }

    /** A flag or segment as the audit log records an import of it. */
    record FlagState(Flag flag, FlagConfig config) {
    }

    record SegmentState(Segment segment, SegmentConfig config) {
    }

    private static final String EMPTY_SEGMENT = Json.write(SegmentConfig.empty());

    private final Pool pool;

    public ImportStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Summary> importUnleash(String actor, String project, String environment, UnleashImport.Result result,
                                         Optional<String> comment) {
        return pool.withTransaction(tx -> ProjectStore.scope(tx, project, environment)
                .compose(scope -> new Run(tx, scope, actor, comment.or(() -> Optional.of("imported from Unleash"))).apply(result)))
                .recover(e -> Future.failedFuture(PgErrors.isUniqueViolation(e)
                        ? Failure.conflict("another change created the same flag or segment meanwhile; import again") : e));
    }

    /** A segment the import names that exists, locked: its definition and its configuration in the imported environment. */
    private record FoundSegment(long id, Segment segment, SegmentConfig config) {
    }

    /** A flag the import names that exists, locked: its definition and its configuration in the imported environment. */
    private record FoundFlag(long id, Flag flag, FlagConfig config) {
    }

    /** A flag's configuration in another environment, which a changed definition must still fit. */
    private record OtherConfig(String environment, FlagConfig config) {
    }

    /** One import in one transaction: read and lock, decide, write. */
    private static final class Run {
        private final SqlClient tx;
        private final Scope scope;
        private final String actor;
        private final Optional<String> comment;
        private final List<Long> environments = new ArrayList<>();
        private final Map<String, FoundSegment> foundSegments = new HashMap<>();
        private final Map<String, FoundFlag> foundFlags = new HashMap<>();
        private final Map<Long, List<OtherConfig>> otherConfigs = new HashMap<>();
        private EnvironmentData was;
        private final Map<String, Flag> stored = new HashMap<>();
        private final Map<String, Flag> imported = new HashMap<>();
        private final Tally flags = new Tally();
        private final Tally segments = new Tally();
        private final List<Change> audit = new ArrayList<>();
        private final ImportStatements.SegmentWrites segmentWrites = new ImportStatements.SegmentWrites();
        private final ImportStatements.FlagWrites flagWrites = new ImportStatements.FlagWrites();

        Run(SqlClient tx, Scope scope, String actor, Optional<String> comment) {
            this.tx = tx;
            this.scope = scope;
            this.actor = actor;
            this.comment = comment;
        }

        Future<Summary> apply(UnleashImport.Result result) {
            result.flags().forEach(f -> imported.put(f.flag().key(), f.flag()));
            return read(result)
                    .compose(v -> Validation.onWorker(() -> decide(result))) // validating compiles the rules' patterns
                    // the environment as imported keeps to the rules every SDK checks (prerequisite paths, cost)
                    .compose(now -> Validation.environment(was, now, "features",
                            "is imported or requires an imported flag or matches an imported segment"))
                    .compose(v -> ImportStatements.writeSegments(tx, scope, segmentWrites, EMPTY_SEGMENT))
                    .compose(v -> ImportStatements.writeFlags(tx, scope, flagWrites))
                    .compose(v -> ChangeLog.recordAll(tx, changeLog()))
                    .compose(v -> AuditLog.appendAll(tx, audit))
                    .map(v -> new Summary(scope.environment(), flags.changes(), segments.changes(), result.features(), result.warnings()));
        }

        /** Locks what the import touches (segments, then flags, each in key order) and reads what deciding needs. */
        private Future<Void> read(UnleashImport.Result result) {
            String[] segmentKeys = result.segments().stream().map(s -> s.segment().key()).toArray(String[]::new);
            String[] flagKeys = result.flags().stream().map(f -> f.flag().key()).toArray(String[]::new);
            return tx.preparedQuery(ImportStatements.ENVIRONMENTS).execute(Tuple.of(scope.projectId()))
                    .compose(rows -> {
                        rows.forEach(row -> environments.add(row.getLong("id")));
                        return tx.preparedQuery(ImportStatements.LOCK_SEGMENTS).execute(Tuple.tuple().addLong(scope.projectId())
                                .addLong(scope.environmentId()).addArrayOfString(segmentKeys));
                    })
                    .compose(rows -> {
                        rows.forEach(row -> foundSegments.put(row.getString("key"), new FoundSegment(row.getLong("id"),
                                new Segment(row.getString("key"), row.getString("name"), row.getString("description")),
                                Json.read(row.getString("config"), SegmentConfig.class))));
                        return tx.preparedQuery(ImportStatements.LOCK_FLAGS).execute(Tuple.tuple().addLong(scope.projectId())
                                .addLong(scope.environmentId()).addArrayOfString(flagKeys));
                    })
                    .compose(rows -> {
                        rows.forEach(row -> foundFlags.put(row.getString("key"), new FoundFlag(row.getLong("id"),
                                Json.read(row.getString("definition"), Flag.class), Json.read(row.getString("config"), FlagConfig.class))));
                        return EnvironmentDataStore.load(tx, scope);
                    })
                    .compose(data -> {
                        was = data;
                        // a definition may only change when every other environment's configuration still fits it
                        Long[] changing = result.flags().stream()
                                .map(f -> foundFlags.get(f.flag().key()))
                                .filter(found -> found != null && !Variations.merge(found.flag(), imported.get(found.flag().key()))
                                        .equals(found.flag()))
                                .map(FoundFlag::id).toArray(Long[]::new);
                        return changing.length == 0 ? Future.succeededFuture() : tx.preparedQuery(ImportStatements.OTHER_CONFIGS)
                                .execute(Tuple.tuple().addArrayOfLong(changing).addLong(scope.environmentId()))
                                .map(rows -> {
                                    rows.forEach(row -> otherConfigs.computeIfAbsent(row.getLong("flag_id"), id -> new ArrayList<>())
                                            .add(new OtherConfig(row.getString("key"), Json.read(row.getString("config"), FlagConfig.class))));
                                    return null;
                                });
                    })
                    .mapEmpty();
        }

        /**
         * Decides every write and its audit event, in the order the import lists them (segments,
         * then flag definitions, then flag configurations), refusing the first that does not fit;
         * answers the imported environment as it will be.
         */
        private EnvironmentData decide(UnleashImport.Result result) {
            Map<String, EnvironmentSegment> segmentsNow = new TreeMap<>();
            was.segments().forEach(s -> segmentsNow.put(s.key(), s));
            for (UnleashImport.ImportedSegment segment : result.segments()) {
                segment(segment);
                segmentsNow.put(segment.segment().key(), new EnvironmentSegment(segment.segment().key(), segment.config()));
            }
            result.flags().forEach(this::define);
            Map<String, EnvironmentFlag> flagsNow = new TreeMap<>();
            was.flags().forEach(f -> flagsNow.put(f.flag().key(), f));
            for (EnvironmentFlag flag : result.flags()) {
                String key = flag.flag().key();
                flagsNow.put(key, new EnvironmentFlag(stored.get(key), configure(flag)));
            }
            return new EnvironmentData(was.revision(), List.copyOf(flagsNow.values()), List.copyOf(segmentsNow.values()));
        }

        private void segment(UnleashImport.ImportedSegment imported) {
            Segment segment = imported.segment();
            String key = segment.key();
            FoundSegment found = foundSegments.get(key);
            Segment old = found == null ? null : found.segment();
            SegmentConfig oldConfig = found == null ? SegmentConfig.empty() : found.config();
            if (found == null) {
                segments.defined(key, true);
                segmentWrites.create(segment);
                audit.add(definitionChange("segment.import", "segment", key, null, segment));
            } else if (!old.equals(segment)) {
                segments.defined(key, false);
                segmentWrites.define(segment);
                audit.add(definitionChange("segment.import", "segment", key, old, segment));
            }
            boolean configChanged = !oldConfig.equals(imported.config());
            if (!configChanged && !segments.definitionChanged(key)) {
                segments.unchanged(key);
                return;
            }
            segments.configured(key, configChanged);
            if (configChanged) { // else the definition's project-wide event says it all
                segmentWrites.configure(key, Json.write(imported.config()));
                audit.add(configChange("segment.import", "segment", key, old == null ? null : new SegmentState(old, oldConfig),
                        new SegmentState(segment, imported.config())));
            }
        }

        /** Creates the flag, or replaces its definition keeping the variations other environments use. */
        private void define(EnvironmentFlag flag) {
            String key = flag.flag().key();
            FoundFlag found = foundFlags.get(key);
            if (found == null) {
                stored.put(key, flag.flag());
                flags.defined(key, true);
                flagWrites.create(flag.flag(), Json.write(FlagConfig.off(flag.flag())));
                audit.add(definitionChange("flag.import", "flag", key, null, flag.flag()));
                return;
            }
            Flag merged = Variations.merge(found.flag(), flag.flag());
            ModelValidator.validateFlag(merged);
            stored.put(key, merged);
            if (merged.equals(found.flag())) {
                return;
            }
            for (OtherConfig other : otherConfigs.getOrDefault(found.id(), List.of())) {
                try {
                    ModelValidator.validateConfig(merged, other.config());
                } catch (InvalidModelException e) {
                    throw Failure.conflict("features", "flag '" + key + "' exists with another kind, and its configuration in "
                            + other.environment() + " would not fit the imported definition (" + e.field() + ": " + e.getMessage()
                            + "); change or delete that flag first");
                }
            }
            flags.defined(key, false);
            flagWrites.define(merged);
            audit.add(definitionChange("flag.import", "flag", key, found.flag(), merged));
        }

        /** Decides the flag's configuration in the imported environment; answers it. */
        private FlagConfig configure(EnvironmentFlag flag) {
            String key = flag.flag().key();
            Flag definition = stored.get(key);
            FlagConfig config = Variations.renumber(flag.config(), flag.flag(), definition, imported, stored);
            ModelValidator.validateConfig(definition, config);
            FoundFlag found = foundFlags.get(key);
            FlagConfig old = found == null ? FlagConfig.off(definition) : found.config();
            boolean configChanged = !old.equals(config);
            if (!configChanged && !flags.definitionChanged(key)) {
                flags.unchanged(key);
                return config;
            }
            flags.configured(key, configChanged);
            if (configChanged) { // else the definition's project-wide event says it all
                flagWrites.configure(key, Json.write(config));
                audit.add(configChange("flag.import", "flag", key, found == null ? null : new FlagState(found.flag(), old),
                        new FlagState(definition, config)));
            }
            return config;
        }

        /** What the import wrote in the imported environment. */
        private Change configChange(String action, String kind, String key, Object was, Object is) {
            return new Change(actor, action, scope.project(), scope.environment(), kind, key, was, is, comment);
        }

        /** A definition it created or changed: project-wide, as every environment serves it. */
        private Change definitionChange(String action, String kind, String key, Object was, Object is) {
            return new Change(actor, action, scope.project(), null, kind, key, was, is, comment);
        }

        /** One revision per environment: definitions changed everywhere, configurations here. */
        private List<ChangeLog.Entry> changeLog() {
            List<ChangeLog.Entry> entries = new ArrayList<>();
            for (long environment : environments) {
                for (Map.Entry<String, Tally> kind : List.of(Map.entry("flag", flags), Map.entry("segment", segments))) {
                    Tally tally = kind.getValue();
                    Set<String> keys = new LinkedHashSet<>(tally.definitions);
                    if (environment == scope.environmentId()) {
                        keys.addAll(tally.configurations);
                    }
                    keys.forEach(key -> entries.add(new ChangeLog.Entry(environment, kind.getKey(), key)));
                }
            }
            return entries;
        }
    }

    /** What happened to each key of one kind. */
    private static final class Tally {
        private final Set<String> created = new LinkedHashSet<>();
        private final Set<String> updated = new LinkedHashSet<>();
        private final Set<String> unchanged = new LinkedHashSet<>();
        private final Set<String> definitions = new LinkedHashSet<>();
        private final Set<String> configurations = new LinkedHashSet<>();

        void defined(String key, boolean isNew) {
            definitions.add(key);
            (isNew ? created : updated).add(key);
        }

        void configured(String key, boolean configChanged) {
            if (configChanged) {
                configurations.add(key);
            }
            if (!created.contains(key)) {
                updated.add(key);
            }
        }

        void unchanged(String key) {
            unchanged.add(key);
        }

        boolean definitionChanged(String key) {
            return definitions.contains(key);
        }

        Changes changes() {
            return new Changes(List.copyOf(created), List.copyOf(updated), List.copyOf(unchanged));
        }
    }
}
