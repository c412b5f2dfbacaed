package dev.darklaunch.server.changes;

import java.util.Optional;

/**
 * One mutation as the audit log records it: who did what to which target, the state before and
 * after (null when created or deleted), and the optional reason given by the caller.
 *
 * @param action      a dotted verb such as {@code flag.create} or {@code flag.on}
 * @param environment the environment it happened in, or null for project-wide changes
 * @param deployment  the deployment it belongs to (its release, rollback, …), or null
 */
public record Change(String actor, String action, String project, String environment,
                     String targetKind, String targetKey, Object before, Object after, Optional<String> comment,
                     Long deployment) {

    public Change {
        comment = comment == null ? Optional.empty() : comment;
    }

    /** A change that belongs to no deployment. */
    public Change(String actor, String action, String project, String environment,
                  String targetKind, String targetKey, Object before, Object after, Optional<String> comment) {
        this(actor, action, project, environment, targetKind, targetKey, before, after, comment, null);
    }
}
