package dev.darklaunch.server.flags;

import dev.darklaunch.server.changes.ChangeLog;

/**
 * The SQL of the configuration writes, each one statement: it locks what it changes, checks the
 * version, writes, bumps the environment's revision, appends the change log (and wakes the feed)
 * and appends the audit events — so a write costs
 * one round trip between {@code BEGIN} and {@code COMMIT} instead of one per step.
 *
 * <p>Data-modifying CTEs all see the statement's snapshot, never each other's effects; so every
 * step after the lock reads what it needs from the RETURNING of the step before, not from the
 * tables. Audit events go in with one INSERT whose rows are ordered, so their sequence numbers
 * keep the order of the writes.
 */
final class ConfigStatements {

    private ConfigStatements() {
    }

    /**
     * Switches a flag on or off in one environment. Parameters: $1 project, $2 environment,
     * $3 flag, $4 on, $5 If-Match version (or null), $6 actor, $7 audit action, $8 comment. One row: the scope's ids (null if not found), the
     * configuration before (null if no such flag), whether the version matched, and the
     * configuration after (null if nothing was written: a mismatch, or already so), and whether a
     * running release of the environment ships the flag (only then is there a release to pause:
     * the one place flags read the deployments' tables, so that a toggle stays one statement).
     */
    static final String TOGGLE = """
            WITH scope AS (
                SELECT p.id AS project_id, e.id AS environment_id FROM projects p
                LEFT JOIN environments e ON e.project_id = p.id AND e.key = $2 WHERE p.key = $1
            ), target AS (
                SELECT f.id AS flag_id, c.environment_id, c.version, c.config, c.updated_at
                FROM scope s JOIN flags f ON f.project_id = s.project_id AND f.key = $3
                JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = s.environment_id
                FOR UPDATE OF f, c
            ), decided AS (
                SELECT t.*, ($5::bigint IS NULL OR t.version = $5::bigint) AS version_matches,
                       ((t.config ->> 'on')::boolean IS DISTINCT FROM $4::boolean) AS changes
                FROM target t
            ), written AS (
                UPDATE flag_configs c SET config = jsonb_set(c.config, '{on}', to_jsonb($4::boolean)),
                       version = c.version + 1, updated_at = now()
                FROM decided d
                WHERE c.flag_id = d.flag_id AND c.environment_id = d.environment_id AND d.version_matches AND d.changes
                RETURNING c.flag_id, c.environment_id, c.version, c.config, c.updated_at
            ), bumped AS (
                UPDATE environments e SET revision = e.revision + 1 FROM written w WHERE e.id = w.environment_id
                RETURNING e.id, e.revision
            ), logged AS (
                INSERT INTO change_log (environment_id, revision, kind, key) SELECT b.id, b.revision, 'flag', $3 FROM bumped b
            ), audited AS (
                INSERT INTO audit_events (actor, action, project, environment, target_kind, target_key, before, after, comment,
                                          deployment_id)
                SELECT $6::text, $7::text, $1::text, $2::text, 'flag', $3::text, d.config, w.config, $8::text, NULL::bigint
                FROM decided d JOIN written w ON w.flag_id = d.flag_id
            )
            SELECT s.project_id, s.environment_id, d.version AS before_version, d.config::text AS before_config,
                   d.updated_at AS before_updated_at, d.version_matches, w.version, w.config::text AS config, w.updated_at,
                   EXISTS (SELECT 1 FROM deployments dep JOIN deployment_flags df ON df.deployment_id = dep.id
                           WHERE dep.environment_id = s.environment_id AND dep.release_state = 'running' AND df.flag_key = $3) AS in_running_release,
                   (SELECT max(b.revision) FROM bumped b
                    CROSS JOIN LATERAL (SELECT pg_notify('""" + ChangeLog.CHANNEL + """
            ', b.id || ':' || b.revision)) notified) AS revision
            FROM (SELECT 1) one LEFT JOIN scope s ON true LEFT JOIN decided d ON true LEFT JOIN written w ON true""";

    /**
     * Replaces a flag's configuration in one environment and reads, in the same statement, what
     * its validation needs: locks the flag and its configuration, checks the version, writes,
     * bumps the revision, appends the change log and the audit event. The caller validates the
     * answer and rolls the transaction back when the change breaks a rule — a refused write costs
     * a rollback instead of a round trip on every accepted one. Parameters: $1 project,
     * $2 environment, $3 flag, $4 the new configuration (JSON text), $5 If-Match version (or
     * null), $6 actor, $7 audit action, $8 comment. Rows: first the target ({@code row_kind}
     * 'target': the scope's ids, null if not found; the flag and its configuration before, null if
     * no such flag; whether the version matched; the configuration after, null if nothing was
     * written; whether a running release of the environment ships the flag, as in {@link #TOGGLE}),
     * then every flag of the environment with its configuration ('flag', the target as before the
     * write), then every segment ('segment').
     */
    static final String WRITE_ONE = """
            WITH scope AS (
                SELECT p.id AS project_id, e.id AS environment_id FROM projects p
                LEFT JOIN environments e ON e.project_id = p.id AND e.key = $2 WHERE p.key = $1
            ), target AS (
                SELECT f.id AS flag_id, c.environment_id, c.version, c.updated_at, c.config, """ + FlagRows.COLUMNS + """

                FROM scope s JOIN flags f ON f.project_id = s.project_id AND f.key = $3
                JOIN flag_configs c ON c.flag_id = f.id AND c.environment_id = s.environment_id
                FOR UPDATE OF f, c
            ), decided AS (
                SELECT t.*, ($5::bigint IS NULL OR t.version = $5::bigint) AS version_matches FROM target t
            ), written AS (
                UPDATE flag_configs c SET config = $4::text::jsonb, version = c.version + 1, updated_at = now()
                FROM decided d
                WHERE c.flag_id = d.flag_id AND c.environment_id = d.environment_id AND d.version_matches
                RETURNING c.flag_id, c.version, c.config, c.updated_at
            ), bumped AS (
                UPDATE environments e SET revision = e.revision + 1 FROM decided d, written w
                WHERE e.id = d.environment_id AND w.flag_id = d.flag_id
                RETURNING e.id, e.revision
            ), logged AS (
                INSERT INTO change_log (environment_id, revision, kind, key) SELECT b.id, b.revision, 'flag', $3 FROM bumped b
            ), audited AS (
                INSERT INTO audit_events (actor, action, project, environment, target_kind, target_key, before, after, comment,
                                          deployment_id)
                SELECT $6::text, $7::text, $1::text, $2::text, 'flag', $3::text, d.config, w.config, $8::text, NULL::bigint
                FROM decided d JOIN written w ON w.flag_id = d.flag_id
            )
            SELECT 0 AS row_order, 'target' AS row_kind, s.project_id, s.environment_id, d.flag_id, d.version, d.updated_at,
                   d.config::text AS config, d.key, d.name, d.description, d.kind, d.variations, d.tags, d.owner, d.lifecycle,
                   d.archived, d.client_side, d.version_matches,
                   w.version AS after_version, w.updated_at AS after_updated_at, w.config::text AS after_config,
                   EXISTS (SELECT 1 FROM deployments dep JOIN deployment_flags df ON df.deployment_id = dep.id
                           WHERE dep.environment_id = s.environment_id AND dep.release_state = 'running' AND df.flag_key = $3) AS in_running_release,
                   (SELECT max(b.revision) FROM bumped b
                    CROSS JOIN LATERAL (SELECT pg_notify('""" + ChangeLog.CHANNEL + """
            ', b.id || ':' || b.revision)) notified) AS revision
            FROM (SELECT 1) one LEFT JOIN scope s ON true LEFT JOIN decided d ON true LEFT JOIN written w ON true
            UNION ALL
            SELECT 1, 'flag', NULL, NULL, f.id, c.version, c.updated_at, c.config::text, """ + FlagRows.COLUMNS + """
            , NULL, NULL, NULL, NULL, NULL, NULL
            FROM scope s JOIN flag_configs c ON c.environment_id = s.environment_id JOIN flags f ON f.id = c.flag_id
            UNION ALL
            SELECT 2, 'segment', NULL, NULL, NULL, NULL, NULL, c.config::text, g.key, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
            FROM scope s JOIN segments g ON g.project_id = s.project_id
            JOIN segment_configs c ON c.segment_id = g.id AND c.environment_id = s.environment_id
            ORDER BY row_order, key""";

    /**
     * Writes locked configurations of flags in one environment as one revision. Parameters:
     * $1 environment id, $2 flag ids, $3 flag keys, $4 new configurations (JSON text), $5 the
     * configurations before (JSON text, for the audit), $6 audit actions, $7 actor, $8 project,
     * $9 environment key, $10 comment, $11 deployment (or null). Rows: each written configuration's flag id, version, time and JSON, in
     * the order given.
     */
    static final String WRITE = """
            WITH input AS (
                SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
                       WITH ORDINALITY AS i(flag_id, key, config, before, action, position)
            ), written AS (
                UPDATE flag_configs c SET config = i.config::jsonb, version = c.version + 1, updated_at = now()
                FROM input i WHERE c.flag_id = i.flag_id AND c.environment_id = $1
                RETURNING c.flag_id, c.version, c.updated_at, c.config
            ), bumped AS (
                UPDATE environments SET revision = revision + 1 WHERE id = $1 RETURNING id, revision
            ), logged AS (
                INSERT INTO change_log (environment_id, revision, kind, key) SELECT b.id, b.revision, 'flag', i.key
                FROM bumped b CROSS JOIN input i
            ), audited AS (
                INSERT INTO audit_events (actor, action, project, environment, target_kind, target_key, before, after, comment,
                                          deployment_id)
                SELECT $7::text, i.action, $8::text, $9::text, 'flag', i.key, i.before::jsonb, w.config, $10::text, $11::bigint
                FROM input i JOIN written w ON w.flag_id = i.flag_id
                ORDER BY i.position
            )
            SELECT w.flag_id, w.version, w.updated_at, w.config::text AS config,
                   (SELECT max(b.revision) FROM bumped b
                    CROSS JOIN LATERAL (SELECT pg_notify('""" + ChangeLog.CHANNEL + """
            ', b.id || ':' || b.revision)) notified) AS revision
            FROM written w JOIN input i ON i.flag_id = w.flag_id ORDER BY i.position""";
}
