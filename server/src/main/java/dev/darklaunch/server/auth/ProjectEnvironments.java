package dev.darklaunch.server.auth;

import io.vertx.core.Future;

import java.util.List;

/**
 * The environment keys of a project, in order, or a {@link dev.darklaunch.server.failures.Failure.NotFound}
 * when there is no such project: what a token's scope is checked against. Auth sits below projects
 * (every API asks it who is calling), so projects provide this and the composition root passes it in.
 */
@FunctionalInterface
public interface ProjectEnvironments {

    Future<List<String>> of(String project);
}
