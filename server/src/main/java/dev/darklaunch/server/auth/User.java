package dev.darklaunch.server.auth;

import dev.darklaunch.server.store.Versioned;

import java.time.OffsetDateTime;

/** An admin UI user as shown to admins and in the audit log: never the password or its hash. */
public record User(long id, String email, Role role, long version, OffsetDateTime createdAt, String createdBy,
                   OffsetDateTime updatedAt) implements Versioned {

    /** How the audit log and error messages name this user. */
    public String actor() {
        return "user:" + email;
    }
}
