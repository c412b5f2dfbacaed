package dev.darklaunch.server.imports;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
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
import java.util.function.Function;

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
    private static final String DEFINITION = """
            SELECT id, jsonb_build_object('key', key, 'name', name, 'description', description, 'kind', kind,
                   'variations', variations, 'tags', to_jsonb(tags), 'owner', owner, 'lifecycle', lifecycle,
                   'archived', archived)::text AS definition
            FROM flags WHERE project_id = $1 AND key = $2 FOR UPDATE""";

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

    /** One import in one transaction. */
    private static final class Run {
        private final SqlClient tx;
        private final Scope scope;
        private final String actor;
        private final Optional<String> comment;
        private final List<Long> environments = new ArrayList<>();
        private final Map<String, Flag> stored = new HashMap<>();
        private final Map<String, Long> flagIds = new HashMap<>();
        private final Map<String, Flag> before = new HashMap<>();
        private final Map<String, Flag> imported = new HashMap<>();
        private final Tally flags = new Tally();
        private final Tally segments = new Tally();

        Run(SqlClient tx, Scope scope, String actor, Optional<String> comment) {
            this.tx = tx;
            this.scope = scope;
            this.actor = actor;
            this.comment = comment;
        }

        Future<Summary> apply(UnleashImport.Result result) {
            result.flags().forEach(f -> imported.put(f.flag().key(), f.flag()));
            EnvironmentData[] was = new EnvironmentData[1];
            return EnvironmentDataStore.load(tx, scope)
                    .compose(data -> {
                        was[0] = data;
                        return tx.preparedQuery("SELECT id FROM environments WHERE project_id = $1 ORDER BY id").execute(Tuple.of(scope.projectId()));
                    })
                    .compose(rows -> {
                        rows.forEach(row -> environments.add(row.getLong("id")));
                        return each(result.segments(), this::segment);
                    })
                    .compose(v -> each(result.flags(), this::define))
                    .compose(v -> each(result.flags(), this::configure))
                    // the environment as imported keeps to the rules every SDK checks (prerequisite paths, cost)
                    .compose(v -> EnvironmentDataStore.load(tx, scope))
                    .compose(now -> Validation.environment(was[0], now, "features",
                            "is imported or requires an imported flag or matches an imported segment"))
                    .compose(v -> recordChanges("flag", flags).compose(w -> recordChanges("segment", segments)))
                    .map(v -> new Summary(scope.environment(), flags.changes(), segments.changes(), result.features(), result.warnings()));
        }

        private Future<Void> segment(UnleashImport.ImportedSegment segment) {
            String key = segment.segment().key();
            return tx.preparedQuery("SELECT id, name, description FROM segments WHERE project_id = $1 AND key = $2 FOR UPDATE")
                    .execute(Tuple.of(scope.projectId(), key))
                    .compose(rows -> {
                        if (rows.size() == 0) {
                            segments.defined(key, true);
                            return tx.preparedQuery("INSERT INTO segments (project_id, key, name, description) VALUES ($1, $2, $3, $4) RETURNING id")
                                    .execute(Tuple.of(scope.projectId(), key, segment.segment().name(), segment.segment().description()))
                                    .compose(inserted -> {
                                        long id = inserted.iterator().next().getLong("id");
                                        return insertForEveryEnvironment("segment_configs", "segment_id", id, EMPTY_SEGMENT)
                                                .compose(v -> auditDefinition("segment.import", "segment", key, null, segment.segment()))
                                                .compose(v -> configureSegment(id, null, segment));
                                    });
                        }
                        Row row = rows.iterator().next();
                        long id = row.getLong("id");
                        Segment old = new Segment(key, row.getString("name"), row.getString("description"));
                        if (old.equals(segment.segment())) {
                            return configureSegment(id, old, segment);
                        }
                        segments.defined(key, false);
                        return tx.preparedQuery("UPDATE segments SET name = $2, description = $3, version = version + 1, updated_at = now() WHERE id = $1")
                                .execute(Tuple.of(id, segment.segment().name(), segment.segment().description()))
                                .compose(v -> auditDefinition("segment.import", "segment", key, old, segment.segment()))
                                .compose(v -> configureSegment(id, old, segment));
                    });
        }

        private Future<Void> configureSegment(long id, Segment old, UnleashImport.ImportedSegment segment) {
            String key = segment.segment().key();
            return tx.preparedQuery("SELECT config::text AS config FROM segment_configs WHERE segment_id = $1 AND environment_id = $2 FOR UPDATE")
                    .execute(Tuple.of(id, scope.environmentId()))
                    .compose(rows -> {
                        SegmentConfig oldConfig = Json.read(rows.iterator().next().getString("config"), SegmentConfig.class);
                        boolean configChanged = !oldConfig.equals(segment.config());
                        if (!configChanged && !segments.definitionChanged(key)) {
                            segments.unchanged(key);
                            return Future.succeededFuture();
                        }
                        segments.configured(key, configChanged);
                        if (!configChanged) {
                            return Future.succeededFuture(); // the definition's project-wide event says it all
                        }
                        return tx.preparedQuery("""
                                        UPDATE segment_configs SET config = $3::text::jsonb, version = version + 1, updated_at = now()
                                        WHERE segment_id = $1 AND environment_id = $2""")
                                .execute(Tuple.of(id, scope.environmentId(), Json.write(segment.config())))
                                .compose(v -> audit("segment.import", "segment", key,
                                        old == null ? null : new SegmentState(old, oldConfig), new SegmentState(segment.segment(), segment.config())));
                    });
        }

        /** Creates the flag, or replaces its definition keeping the variations other environments use. */
        private Future<Void> define(EnvironmentFlag flag) {
            String key = flag.flag().key();
            return tx.preparedQuery(DEFINITION).execute(Tuple.of(scope.projectId(), key)).compose(rows -> {
                if (rows.size() == 0) {
                    return writeFlag(null, flag.flag())
                            .compose(v -> auditDefinition("flag.import", "flag", key, null, flag.flag()));
                }
                Row row = rows.iterator().next();
                Flag old = Json.read(row.getString("definition"), Flag.class);
                flagIds.put(key, row.getLong("id"));
                before.put(key, old);
                Flag merged = Variations.merge(old, flag.flag());
                ModelValidator.validateFlag(merged);
                return merged.equals(old) ? remember(merged) : checkOtherEnvironments(row.getLong("id"), merged)
                        .compose(v -> writeFlag(row.getLong("id"), merged))
                        .compose(v -> auditDefinition("flag.import", "flag", key, old, merged));
            });
        }

        private Future<Void> remember(Flag definition) {
            stored.put(definition.key(), definition);
            return Future.succeededFuture();
        }

        private Future<Void> writeFlag(Long id, Flag definition) {
            String key = definition.key();
            stored.put(key, definition);
            Tuple values = Tuple.from(new Object[]{scope.projectId(), key, definition.name(), definition.description(),
                    Json.wire(definition.kind()), Json.write(definition.variations()), definition.tags().toArray(String[]::new),
                    definition.owner(), Json.wire(definition.lifecycle()), definition.archived()});
            if (id != null) {
                flags.defined(key, false);
                return tx.preparedQuery("""
                                UPDATE flags SET name = $3, description = $4, kind = $5, variations = $6::text::jsonb, tags = $7,
                                       owner = $8, lifecycle = $9, archived = $10, version = version + 1, updated_at = now()
                                WHERE project_id = $1 AND key = $2""")
                        .execute(values).mapEmpty();
            }
            flags.defined(key, true);
            return tx.preparedQuery("""
                            INSERT INTO flags (project_id, key, name, description, kind, variations, tags, owner, lifecycle, archived)
                            VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9, $10) RETURNING id""")
                    .execute(values)
                    .compose(rows -> {
                        long created = rows.iterator().next().getLong("id");
                        flagIds.put(key, created);
                        return insertForEveryEnvironment("flag_configs", "flag_id", created, Json.write(FlagConfig.off(definition)));
                    });
        }

        /** A definition may only change when every other environment's configuration still fits it. */
        private Future<Void> checkOtherEnvironments(long flagId, Flag definition) {
            return tx.preparedQuery("""
                            SELECT e.key, c.config::text AS config FROM flag_configs c JOIN environments e ON e.id = c.environment_id
                            WHERE c.flag_id = $1 AND c.environment_id <> $2""")
                    .execute(Tuple.of(flagId, scope.environmentId()))
                    .compose(rows -> Validation.onWorker(() -> { // validating compiles the rules' patterns
                        for (Row row : rows) {
                            try {
                                ModelValidator.validateConfig(definition, Json.read(row.getString("config"), FlagConfig.class));
                            } catch (InvalidModelException e) {
                                throw Failure.conflict("features", "flag '" + definition.key()
                                        + "' exists with another kind, and its configuration in " + row.getString("key")
                                        + " would not fit the imported definition (" + e.field() + ": " + e.getMessage()
                                        + "); change or delete that flag first");
                            }
                        }
                        return null;
                    }));
        }

        private Future<Void> configure(EnvironmentFlag flag) {
            String key = flag.flag().key();
            Flag definition = stored.get(key);
            FlagConfig config = Variations.renumber(flag.config(), flag.flag(), definition, imported, stored);
            long id = flagIds.get(key);
            return Validation.config(definition, config)
                    .compose(valid -> tx.preparedQuery("SELECT config::text AS config FROM flag_configs WHERE flag_id = $1 AND environment_id = $2 FOR UPDATE")
                    .execute(Tuple.of(id, scope.environmentId())))
                    .compose(rows -> {
                        FlagConfig old = Json.read(rows.iterator().next().getString("config"), FlagConfig.class);
                        boolean configChanged = !old.equals(config);
                        if (!configChanged && !flags.definitionChanged(key)) {
                            flags.unchanged(key);
                            return Future.succeededFuture();
                        }
                        flags.configured(key, configChanged);
                        if (!configChanged) {
                            return Future.succeededFuture(); // the definition's project-wide event says it all
                        }
                        FlagState was = before.containsKey(key) ? new FlagState(before.get(key), old) : null;
                        return tx.preparedQuery("""
                                        UPDATE flag_configs SET config = $3::text::jsonb, version = version + 1, updated_at = now()
                                        WHERE flag_id = $1 AND environment_id = $2""")
                                .execute(Tuple.of(id, scope.environmentId(), Json.write(config)))
                                .compose(w -> audit("flag.import", "flag", key, was, new FlagState(definition, config)));
                    });
        }

        private Future<Void> insertForEveryEnvironment(String table, String column, long id, String config) {
            return tx.preparedQuery("INSERT INTO " + table + " (" + column + ", environment_id, config) "
                            + "SELECT $1, id, $2::text::jsonb FROM environments WHERE project_id = $3")
                    .execute(Tuple.of(id, config, scope.projectId())).mapEmpty();
        }

        /** What the import wrote in the imported environment. */
        private Future<Void> audit(String action, String kind, String key, Object was, Object is) {
            return AuditLog.append(tx, new Change(actor, action, scope.project(), scope.environment(), kind, key, was, is, comment));
        }

        /** A definition it created or changed: project-wide, as every environment serves it. */
        private Future<Void> auditDefinition(String action, String kind, String key, Object was, Object is) {
            return AuditLog.append(tx, new Change(actor, action, scope.project(), null, kind, key, was, is, comment));
        }

        /** One revision per environment: definitions changed everywhere, configurations here. */
        private Future<Void> recordChanges(String kind, Tally tally) {
            Future<Void> chain = Future.succeededFuture();
            for (long environment : environments) {
                List<String> keys = new ArrayList<>(tally.definitions);
                if (environment == scope.environmentId()) {
                    tally.configurations.stream().filter(k -> !tally.definitions.contains(k)).forEach(keys::add);
                }
                if (!keys.isEmpty()) {
                    chain = chain.compose(v -> ChangeLog.record(tx, environment, kind, keys).mapEmpty());
                }
            }
            return chain;
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

        boolean created(String key) {
            return created.contains(key);
        }

        Changes changes() {
            return new Changes(List.copyOf(created), List.copyOf(updated), List.copyOf(unchanged));
        }
    }

    private static <T> Future<Void> each(List<T> items, Function<T, Future<Void>> step) {
        Future<Void> chain = Future.succeededFuture();
        for (T item : items) {
            chain = chain.compose(v -> step.apply(item));
        }
        return chain;
    }
}
