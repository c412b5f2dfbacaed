package dev.darklaunch.server.projects;

import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.guards.GuardSpec;
import dev.darklaunch.server.guards.InvalidGuard;
import dev.darklaunch.server.http.JsonBody.Body;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Responses;
import dev.darklaunch.server.http.Versions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code /api/v1/projects} and their environments. */
public final class ProjectsApi {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ENVIRONMENTS = 50;

    /** Body of POST /projects; environments default to development, staging, production. */
    public record NewProject(String key, String name, List<NewEnvironmentBody> environments) {
    }

    /** Body of POST …/environments. */
    public record NewEnvironmentBody(String key, String name, Boolean production) {
    }

    /** Body of PUT /projects/{project}. */
    public record ProjectUpdate(String name) {
    }

    /** Body of PUT …/environments/{env}; {@code defaultGuards} absent keeps them, [] removes them. */
    public record EnvironmentUpdate(String name, Boolean production, Boolean rollbackOnFailure,
                                    List<GuardSpec.Definition> defaultGuards) {
    }

    static final int MAX_DEFAULT_GUARDS = 10;

    private final ProjectStore projects;

    public ProjectsApi(ProjectStore projects) {
        this.projects = projects;
    }

    public void mount(Router router) {
        router.get("/api/v1/projects").handler(this::list);
        router.post("/api/v1/projects").handler(this::create);
        router.get("/api/v1/projects/:project").handler(this::get);
        router.put("/api/v1/projects/:project").handler(this::update);
        router.get("/api/v1/projects/:project/environments").handler(this::listEnvironments);
        router.post("/api/v1/projects/:project/environments").handler(this::createEnvironment);
        router.get("/api/v1/projects/:project/environments/:env").handler(this::getEnvironment);
        router.put("/api/v1/projects/:project/environments/:env").handler(this::updateEnvironment);
    }

    private void list(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        Responses.list(ctx, projects.list().map(all -> all.stream().filter(p -> caller.canRead(p.key())).toList()));
    }

    private void create(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        caller.requireAdmin();
        Body<NewProject> body = JsonBody.read(ctx, NewProject.class);
        NewProject project = body.value();
        ModelValidator.validateKey("key", project.key());
        String name = name("name", project.name(), project.key());
        List<ProjectStore.NewEnvironment> environments = project.environments() == null
                ? ProjectStore.STANDARD_ENVIRONMENTS : environments(project.environments());
        projects.create(caller.actor(), project.key(), name, environments, body.comment())
                .onSuccess(created -> Responses.created(ctx, "/api/v1/projects/" + created.key(), created.version(), created))
                .onFailure(ctx::fail);
    }

    private void get(RoutingContext ctx) {
        String key = ctx.pathParam("project");
        Caller.of(ctx).requireRead(key);
        Responses.reply(ctx, projects.get(key));
    }

    private void update(RoutingContext ctx) {
        String key = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(key);
        Body<ProjectUpdate> body = JsonBody.read(ctx, ProjectUpdate.class);
        String name = name("name", body.value().name(), null);
        Responses.reply(ctx, projects.rename(caller.actor(), key, name, Versions.ifMatch(ctx), body.comment()));
    }

    private void listEnvironments(RoutingContext ctx) {
        String key = ctx.pathParam("project");
        Caller.of(ctx).requireRead(key);
        Responses.list(ctx, projects.get(key).map(Project::environments));
    }

    private void createEnvironment(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<NewEnvironmentBody> body = JsonBody.read(ctx, NewEnvironmentBody.class);
        ProjectStore.NewEnvironment environment = environment("", body.value());
        projects.addEnvironment(caller.actor(), project, environment, body.comment())
                .onSuccess(created -> Responses.created(ctx, "/api/v1/projects/" + project + "/environments/" + created.key(),
                        created.version(), created))
                .onFailure(ctx::fail);
    }

    private void getEnvironment(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller.of(ctx).requireRead(project);
        Responses.reply(ctx, projects.environment(project, ctx.pathParam("env")));
    }

    private void updateEnvironment(RoutingContext ctx) {
        String project = ctx.pathParam("project");
        Caller caller = Caller.of(ctx);
        caller.requireEdit(project);
        Body<EnvironmentUpdate> body = JsonBody.read(ctx, EnvironmentUpdate.class);
        String name = name("name", body.value().name(), null);
        if (body.value().production() == null) {
            throw Failure.invalid("production", "production is required: true or false");
        }
        List<GuardSpec> defaultGuards = defaultGuards(body.value().defaultGuards());
        Responses.reply(ctx, projects.updateEnvironment(caller.actor(), project, ctx.pathParam("env"), name, body.value().production(),
                        body.value().rollbackOnFailure(), defaultGuards, Versions.ifMatch(ctx), body.comment()));
    }

    /** The default guards as sent, validated; null (keep them) when absent. */
    private static List<GuardSpec> defaultGuards(List<GuardSpec.Definition> definitions) {
        if (definitions == null) {
            return null;
        }
        if (definitions.size() > MAX_DEFAULT_GUARDS) {
            throw Failure.invalid("defaultGuards", "an environment has at most " + MAX_DEFAULT_GUARDS + " default guards");
        }
        List<GuardSpec> guards = new java.util.ArrayList<>();
        for (int i = 0; i < definitions.size(); i++) {
            try {
                guards.add(GuardSpec.of(definitions.get(i)));
            } catch (InvalidGuard e) {
                throw Failure.invalid("defaultGuards[" + i + "]" + (e.field().isEmpty() ? "" : "." + e.field()), e.getMessage());
            }
        }
        return guards;
    }

    private static List<ProjectStore.NewEnvironment> environments(List<NewEnvironmentBody> bodies) {
        if (bodies.isEmpty() || bodies.size() > MAX_ENVIRONMENTS) {
            throw Failure.invalid("environments", "a project needs 1 to " + MAX_ENVIRONMENTS + " environments");
        }
        Set<String> keys = new HashSet<>();
        List<ProjectStore.NewEnvironment> result = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            ProjectStore.NewEnvironment environment = environment("environments[" + i + "].", bodies.get(i));
            if (!keys.add(environment.key())) {
                throw Failure.invalid("environments[" + i + "].key", "environment key '" + environment.key() + "' is listed twice");
            }
            result.add(environment);
        }
        return result;
    }

    private static ProjectStore.NewEnvironment environment(String prefix, NewEnvironmentBody body) {
        if (body == null) {
            throw Failure.invalid(prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1), "an environment is required");
        }
        ModelValidator.validateKey(prefix + "key", body.key());
        return new ProjectStore.NewEnvironment(body.key(), name(prefix + "name", body.name(), body.key()),
                body.production() != null && body.production());
    }

    /** A display name: required unless a fallback (the key) is given; trimmed; bounded. */
    static String name(String field, String name, String fallback) {
        if (name == null || name.isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw Failure.invalid(field, field.substring(field.lastIndexOf('.') + 1) + " is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw Failure.invalid(field, "a name is at most " + MAX_NAME_LENGTH + " characters");
        }
        return name.strip();
    }
}
