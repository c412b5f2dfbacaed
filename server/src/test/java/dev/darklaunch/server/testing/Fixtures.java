package dev.darklaunch.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Setting the scene through the API, where every write must succeed: each method asserts the
 * answer it expects (so a test never passes on a scene that was not built) and returns the parsed
 * body. Writes go to one project, {@code default} unless {@link #inProject} says otherwise.
 */
public final class Fixtures {

    private final Http http;
    private final String project;

    public Fixtures(Http http) {
        this(http, "default");
    }

    private Fixtures(Http http, String project) {
        this.http = http;
        this.project = project;
    }

    /** The same fixtures for another project. */
    public Fixtures inProject(String otherProject) {
        return new Fixtures(http, otherProject);
    }

    /** The same fixtures through another client (a pipeline token, a signed-in user). */
    public Fixtures as(Http other) {
        return new Fixtures(other, project);
    }

    // ---- the scene ----------------------------------------------------------------------------

    /** Creates a project (its environments come seeded). */
    public JsonNode project(String key, String name) {
        return expect(201, http.post("/api/v1/projects", Map.of("key", key, "name", name)));
    }

    /** Creates an environment of this project. */
    public JsonNode environment(Map<String, ?> environment) {
        return expect(201, http.post(p("/environments"), environment));
    }

    /** Creates a flag from its full definition. */
    public JsonNode flag(Map<String, ?> definition) {
        return expect(201, http.post(p("/flags"), definition));
    }

    /** Creates a boolean flag (variations true, false) named after its key. */
    public JsonNode booleanFlag(String key) {
        return flag(Map.of("key", key, "name", key, "kind", "boolean",
                "variations", List.of(Map.of("value", true), Map.of("value", false))));
    }

    /** Replaces a flag's configuration in an environment. */
    public JsonNode configuration(String flag, String environment, Map<String, ?> configuration) {
        return expect(200, http.put(p("/flags/" + flag + "/environments/" + environment), configuration));
    }

    /** Switches a flag on or off in an environment. */
    public JsonNode toggle(String flag, String environment, boolean on) {
        return toggle(flag, environment, on, null);
    }

    /** Switches a flag on or off in an environment, with a body (a comment, say). */
    public JsonNode toggle(String flag, String environment, boolean on, Map<String, ?> body) {
        return expect(200, http.post(p("/flags/" + flag + "/environments/" + environment + (on ? "/on" : "/off")), body));
    }

    /** Creates a segment. */
    public JsonNode segment(Map<String, ?> segment) {
        return expect(201, http.post(p("/segments"), segment));
    }

    /** Replaces a segment's configuration (who is included, its rules) in an environment. */
    public JsonNode segmentConfiguration(String segment, String environment, Map<String, ?> configuration) {
        return expect(200, http.put(p("/segments/" + segment + "/environments/" + environment), configuration));
    }

    /** Records a new deployment (201: not a repeat of one already recorded). */
    public JsonNode deployment(Map<String, ?> deployment) {
        return expect(201, http.post(p("/deployments"), deployment));
    }

    /** Releases a deployment's flags, with a plan or (null) at once to everyone. */
    public JsonNode release(long deployment, Map<String, ?> plan) {
        return expect(200, http.post(p("/deployments/" + deployment + "/release"), plan));
    }

    /** Rolls a deployment back. */
    public JsonNode rollback(long deployment) {
        return expect(200, http.post(p("/deployments/" + deployment + "/rollback"), null));
    }

    /** Creates a token; returns the whole answer (its {@code secret} is shown only here). */
    public JsonNode token(Map<String, ?> token) {
        return expect(201, http.post("/api/v1/tokens", token));
    }

    /** Creates an admin UI user. */
    public JsonNode user(String email, String password, String role) {
        return expect(201, http.post("/api/v1/users", Map.of("email", email, "password", password, "role", role)));
    }

    // ---- any write ----------------------------------------------------------------------------

    /** Fails the test unless the answer has the expected status; returns its body. */
    public static JsonNode expect(int status, Http.Response response) {
        if (response.status() != status) {
            throw new AssertionError("setup write: expected " + status + " but got " + response);
        }
        return response.json();
    }

    /** Fails the test unless the answer is a success (2xx); returns its body. */
    public static JsonNode succeeded(Http.Response response) {
        if (response.status() < 200 || response.status() > 299) {
            throw new AssertionError("setup write: expected a success but got " + response);
        }
        return response.json();
    }

    private String p(String path) {
        return "/api/v1/projects/" + project + path;
    }
}
