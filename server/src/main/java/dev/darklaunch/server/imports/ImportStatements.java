package dev.darklaunch.server.imports;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.server.projects.Scope;
import dev.darklaunch.server.store.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of an import, each statement one round trip for any number of flags or segments: the
 * rows go in as arrays ({@code unnest}), so a 500-flag import costs what a 5-flag one does.
 * Everything is keyed by project and key; rows created in a statement get their configurations
 * in the same statement (data-modifying CTEs see each other's RETURNING, not each other's rows).
 */
final class ImportStatements {

    private ImportStatements() {
    }

    /** $1 project: its environments' ids. */
    static final String ENVIRONMENTS = "SELECT id FROM environments WHERE project_id = $1 ORDER BY id";

    /** $1 project, $2 environment, $3 keys: the segments that exist, locked with their configuration there, in key order. */
    static final String LOCK_SEGMENTS = """
            SELECT s.id, s.key, s.name, s.description, c.config::text AS config
            FROM segments s JOIN segment_configs c ON c.segment_id = s.id AND c.environment_id = $2
            WHERE s.project_id = $1 AND s.key = ANY ($3) ORDER BY s.key FOR UPDATE OF s, c""";

    /** $1 project, $2 environment, $3 keys: the flags that exist, locked with their configuration there, in key order. */
    static final String LOCK_FLAGS = """
            SELECT f.id, f.key, jsonb_build_object('key', f.key, 'name', f.name, 'description', f.description, 'kind', f.kind,
                   'variations', f.variations, 'tags', to_jsonb(f.tags), 'owner', f.owner, 'lifecycle', f.lifecycle,
                   'archived', f.archived)::text AS definition, c.config::text AS config
            FROM flags f JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = $2
            WHERE f.project_id = $1 AND f.key = ANY ($3) ORDER BY f.key FOR UPDATE OF f, c""";

    /** $1 flag ids, $2 the imported environment: their configurations in every other environment. */
    static final String OTHER_CONFIGS = """
            SELECT c.flag_id, e.key, c.config::text AS config FROM flag_configs c JOIN environments e ON e.id = c.environment_id
            WHERE c.flag_id = ANY ($1) AND c.environment_id <> $2 ORDER BY c.flag_id, e.position, e.id""";

    /**
     * $1 project, $2 environment; new segments $3 keys, $4 names, $5 descriptions, $6 their
     * configuration in the imported environment (null: empty), $7 the empty configuration;
     * changed definitions $8 keys, $9 names, $10 descriptions; changed configurations in the
     * imported environment $11 keys, $12 configurations. A configuration written at creation
     * counts as a second version, as a created-then-configured one would.
     */
    private static final String WRITE_SEGMENTS = """
            WITH created AS (
                INSERT INTO segments (project_id, key, name, description)
                SELECT $1, n.key, n.name, n.description FROM unnest($3::text[], $4::text[], $5::text[]) AS n(key, name, description)
                RETURNING id, key
            ), created_configs AS (
                INSERT INTO segment_configs (segment_id, environment_id, config, version)
                SELECT s.id, e.id, (CASE WHEN e.id = $2 AND n.config IS NOT NULL THEN n.config ELSE $7 END)::jsonb,
                       CASE WHEN e.id = $2 AND n.config IS NOT NULL THEN 2 ELSE 1 END
                FROM created s JOIN unnest($3::text[], $6::text[]) AS n(key, config) ON n.key = s.key
                JOIN environments e ON e.project_id = $1
            ), defined AS (
                UPDATE segments s SET name = d.name, description = d.description, version = s.version + 1, updated_at = now()
                FROM unnest($8::text[], $9::text[], $10::text[]) AS d(key, name, description)
                WHERE s.project_id = $1 AND s.key = d.key
            ), configured AS (
                UPDATE segment_configs c SET config = u.config::jsonb, version = c.version + 1, updated_at = now()
                FROM segments s, unnest($11::text[], $12::text[]) AS u(key, config)
                WHERE s.project_id = $1 AND s.key = u.key AND c.segment_id = s.id AND c.environment_id = $2
            )
            SELECT count(*) AS created FROM created""";

    /**
     * $1 project, $2 environment; new flags $3 keys, $4 names, $5 descriptions, $6 kinds,
     * $7 variations (JSON), $8 tags (JSON arrays), $9 owners, $10 lifecycles, $11 archived,
     * $12 their configuration off, $13 their configuration in the imported environment (null: off);
     * changed definitions $14 keys … $22 archived (the same nine columns); changed configurations
     * in the imported environment $23 keys, $24 configurations.
     */
    private static final String WRITE_FLAGS = """
            WITH created AS (
                INSERT INTO flags (project_id, key, name, description, kind, variations, tags, owner, lifecycle, archived)
                SELECT $1, n.key, n.name, n.description, n.kind, n.variations::jsonb,
                       ARRAY(SELECT jsonb_array_elements_text(n.tags::jsonb)), n.owner, n.lifecycle, n.archived
                FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                            $11::boolean[]) AS n(key, name, description, kind, variations, tags, owner, lifecycle, archived)
                RETURNING id, key
            ), created_configs AS (
                INSERT INTO flag_configs (flag_id, environment_id, config, version)
                SELECT f.id, e.id, (CASE WHEN e.id = $2 AND n.config IS NOT NULL THEN n.config ELSE n.off END)::jsonb,
                       CASE WHEN e.id = $2 AND n.config IS NOT NULL THEN 2 ELSE 1 END
                FROM created f JOIN unnest($3::text[], $12::text[], $13::text[]) AS n(key, off, config) ON n.key = f.key
                JOIN environments e ON e.project_id = $1
            ), defined AS (
                UPDATE flags f SET name = d.name, description = d.description, kind = d.kind, variations = d.variations::jsonb,
                       tags = ARRAY(SELECT jsonb_array_elements_text(d.tags::jsonb)), owner = d.owner, lifecycle = d.lifecycle,
                       archived = d.archived, version = f.version + 1, updated_at = now()
                FROM unnest($14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[],
                            $22::boolean[]) AS d(key, name, description, kind, variations, tags, owner, lifecycle, archived)
                WHERE f.project_id = $1 AND f.key = d.key
            ), configured AS (
                UPDATE flag_configs c SET config = u.config::jsonb, version = c.version + 1, updated_at = now()
                FROM flags f, unnest($23::text[], $24::text[]) AS u(key, config)
                WHERE f.project_id = $1 AND f.key = u.key AND c.flag_id = f.id AND c.environment_id = $2
            )
            SELECT count(*) AS created FROM created""";

    /** The segment writes an import decided, gathered for one statement. */
    static final class SegmentWrites {
        private final Map<String, Segment> created = new LinkedHashMap<>();
        private final Map<String, String> createdConfigs = new LinkedHashMap<>();
        private final List<Segment> defined = new ArrayList<>();
        private final Map<String, String> configured = new LinkedHashMap<>();

        void create(Segment segment) {
            created.put(segment.key(), segment);
        }

        void define(Segment segment) {
            defined.add(segment);
        }

        /** The configuration in the imported environment (of a segment created here, or one that exists). */
        void configure(String key, String config) {
            (created.containsKey(key) ? createdConfigs : configured).put(key, config);
        }

        boolean isEmpty() {
            return created.isEmpty() && defined.isEmpty() && configured.isEmpty();
        }
    }

    /** The flag writes an import decided, gathered for one statement. */
    static final class FlagWrites {
        private final Map<String, Flag> created = new LinkedHashMap<>();
        private final Map<String, String> createdOff = new LinkedHashMap<>();
        private final Map<String, String> createdConfigs = new LinkedHashMap<>();
        private final List<Flag> defined = new ArrayList<>();
        private final Map<String, String> configured = new LinkedHashMap<>();

        void create(Flag flag, String off) {
            created.put(flag.key(), flag);
            createdOff.put(flag.key(), off);
        }

        void define(Flag flag) {
            defined.add(flag);
        }

        /** The configuration in the imported environment (of a flag created here, or one that exists). */
        void configure(String key, String config) {
            (created.containsKey(key) ? createdConfigs : configured).put(key, config);
        }

        boolean isEmpty() {
            return created.isEmpty() && defined.isEmpty() && configured.isEmpty();
        }
    }

    static Future<Void> writeSegments(SqlClient tx, Scope scope, SegmentWrites writes, String empty) {
        if (writes.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Segment> created = List.copyOf(writes.created.values());
        Tuple parameters = Tuple.tuple().addLong(scope.projectId()).addLong(scope.environmentId())
                .addArrayOfString(created.stream().map(Segment::key).toArray(String[]::new))
                .addArrayOfString(created.stream().map(Segment::name).toArray(String[]::new))
                .addArrayOfString(created.stream().map(Segment::description).toArray(String[]::new))
                .addArrayOfString(created.stream().map(s -> writes.createdConfigs.get(s.key())).toArray(String[]::new))
                .addString(empty)
                .addArrayOfString(writes.defined.stream().map(Segment::key).toArray(String[]::new))
                .addArrayOfString(writes.defined.stream().map(Segment::name).toArray(String[]::new))
                .addArrayOfString(writes.defined.stream().map(Segment::description).toArray(String[]::new))
                .addArrayOfString(writes.configured.keySet().toArray(String[]::new))
                .addArrayOfString(writes.configured.values().toArray(String[]::new));
        return tx.preparedQuery(WRITE_SEGMENTS).execute(parameters).mapEmpty();
    }

    static Future<Void> writeFlags(SqlClient tx, Scope scope, FlagWrites writes) {
        if (writes.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Flag> created = List.copyOf(writes.created.values());
        Tuple parameters = Tuple.tuple().addLong(scope.projectId()).addLong(scope.environmentId());
        definitions(parameters, created);
        parameters.addArrayOfString(created.stream().map(f -> writes.createdOff.get(f.key())).toArray(String[]::new))
                .addArrayOfString(created.stream().map(f -> writes.createdConfigs.get(f.key())).toArray(String[]::new));
        definitions(parameters, writes.defined);
        parameters.addArrayOfString(writes.configured.keySet().toArray(String[]::new))
                .addArrayOfString(writes.configured.values().toArray(String[]::new));
        return tx.preparedQuery(WRITE_FLAGS).execute(parameters).mapEmpty();
    }

    /** The nine definition columns of these flags, as arrays. */
    private static void definitions(Tuple parameters, List<Flag> flags) {
        parameters.addArrayOfString(flags.stream().map(Flag::key).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(Flag::name).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(Flag::description).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.wire(f.kind())).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.write(f.variations())).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.write(f.tags())).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(Flag::owner).toArray(String[]::new))
                .addArrayOfString(flags.stream().map(f -> Json.wire(f.lifecycle())).toArray(String[]::new))
                .addArrayOfBoolean(flags.stream().map(Flag::archived).toArray(Boolean[]::new));
    }
}
