package dev.darklaunch.server.auth;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An API token as shown to admins: never the secret, only a hint to recognise it by.
 *
 * @param project      the project it is limited to (null for admin tokens)
 * @param environments the environments it is limited to (pipeline: any number; sdk: exactly one)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Token(long id, String name, TokenKind kind, String project, List<String> environments, String hint,
                    OffsetDateTime createdAt, String createdBy, OffsetDateTime lastUsedAt,
                    OffsetDateTime revokedAt, String revokedBy) {

    public Token {
        environments = List.copyOf(environments);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** How the audit log and error messages name whoever used this token. */
    public String actor() {
        return name + " (" + kind.wire() + " token #" + id + ")";
    }
}
