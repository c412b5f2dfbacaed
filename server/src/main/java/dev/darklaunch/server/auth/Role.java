package dev.darklaunch.server.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an admin UI user may do, in every project; see {@link Caller} for the exact rules. */
public enum Role {
    /** Reads everything; changes nothing. */
    VIEWER,
    /** Reads, switches flags, records and releases deployments, and edits definitions; no tokens or users. */
    EDITOR,
    /** Everything, including tokens and users. */
    ADMIN;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static Role fromWire(String value) {
        for (Role role : values()) {
            if (role.wire().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be viewer, editor or admin");
    }
}
