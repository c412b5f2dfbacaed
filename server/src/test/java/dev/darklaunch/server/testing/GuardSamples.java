package dev.darklaunch.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * What SDK reports add up to for a guarded flag, written straight into the guard tables of the
 * {@code default} project (this minute, added to what is there), for tests of the guards
 * themselves: they need a guard's data without an application generating it.
 */
public final class GuardSamples {

    private final TestServer server;

    public GuardSamples(TestServer server) {
        this.server = server;
    }

    /**
     * Adds exposures of both arms (the released variation, and the other) and the error events
     * among them in one transaction: a look never sees one arm's batch without the other's.
     */
    public void errors(String environment, String flag, long treatmentExposures, long treatmentErrors,
                       long controlExposures, long controlErrors) throws Exception {
        int treatment = variation(flag, true);
        int control = variation(flag, false);
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            long environmentId = environmentId(db, environment);
            exposures(db, environmentId, flag, treatment, treatmentExposures);
            event(db, environmentId, flag, treatment, "error", treatmentErrors, treatmentErrors, treatmentErrors);
            exposures(db, environmentId, flag, control, controlExposures);
            event(db, environmentId, flag, control, "error", controlErrors, controlErrors, controlErrors);
            db.commit();
        }
    }

    /** Adds {@code n} values of an event to one arm, with the given mean and standard deviation. */
    public void values(String environment, String flag, boolean treatment, String event, long n, double mean, double sd)
            throws Exception {
        try (Connection db = connect()) {
            event(db, environmentId(db, environment), flag, variation(flag, treatment), event, n, n * mean,
                    n * (sd * sd + mean * mean));
        }
    }

    /** The index of the flag's {@code true} variation (the treatment), or of its other one. */
    private int variation(String flag, boolean treatment) {
        JsonNode variations = Fixtures.expect(200, server.admin().get("/api/v1/projects/default/flags/" + flag)).get("variations");
        for (int i = 0; i < variations.size(); i++) {
            if (variations.get(i).path("value").asBoolean() == treatment) {
                return i;
            }
        }
        throw new AssertionError("no such variation in " + variations);
    }

    private static void exposures(Connection db, long environment, String flag, int variation, long exposures) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO guard_exposures (environment_id, flag_key, variation, minute, exposures)
                VALUES (?, ?, ?, date_trunc('minute', now()), ?)
                ON CONFLICT (environment_id, flag_key, variation, minute)
                DO UPDATE SET exposures = guard_exposures.exposures + excluded.exposures""")) {
            insert.setLong(1, environment);
            insert.setString(2, flag);
            insert.setInt(3, variation);
            insert.setLong(4, exposures);
            insert.executeUpdate();
        }
    }

    private static void event(Connection db, long environment, String flag, int variation, String event, long count, double sum,
                              double squares) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO guard_events (environment_id, flag_key, variation, event_name, minute, count, value_sum, value_square_sum)
                VALUES (?, ?, ?, ?, date_trunc('minute', now()), ?, ?, ?)
                ON CONFLICT (environment_id, flag_key, variation, event_name, minute)
                DO UPDATE SET count = guard_events.count + excluded.count, value_sum = guard_events.value_sum + excluded.value_sum,
                              value_square_sum = guard_events.value_square_sum + excluded.value_square_sum""")) {
            insert.setLong(1, environment);
            insert.setString(2, flag);
            insert.setInt(3, variation);
            insert.setString(4, event);
            insert.setLong(5, count);
            insert.setDouble(6, sum);
            insert.setDouble(7, squares);
            insert.executeUpdate();
        }
    }

    private static long environmentId(Connection db, String environment) throws Exception {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT e.id FROM environments e JOIN projects p ON p.id = e.project_id WHERE p.key = 'default' AND e.key = ?")) {
            query.setString(1, environment);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private Connection connect() throws Exception {
        URI uri = URI.create(server.databaseUrl());
        String[] user = uri.getUserInfo().split(":", 2);
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), user[0], user[1]);
    }
}
