package dev.darklaunch.server.auth;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An API token as shown to admins: never the secret, only a hint to recognise it by.
 *
 * @param project      the project it is limited to (null for admin tokens)
 * @param environments the environments it is limited to (pipeline: any number; sdk and client: exactly one)
 * @param origins      for client tokens: the web origins ({@code https://shop.example.com}) whose pages may use it;
 *                     empty for other kinds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Token(long id, String name, TokenKind kind, String project, List<String> environments, String hint,
                    OffsetDateTime createdAt, String createdBy, OffsetDateTime lastUsedAt,
                    OffsetDateTime revokedAt, String revokedBy, List<String> origins) {

    public Token {
        environments = List.copyOf(environments);
        origins = origins == null ? List.of() : List.copyOf(origins);
    }

    /** A token without origins (every kind but client). */
    public Token(long id, String name, TokenKind kind, String project, List<String> environments, String hint,
                 OffsetDateTime createdAt, String createdBy, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt,
                 String revokedBy) {
        this(id, name, kind, project, environments, hint, createdAt, createdBy, lastUsedAt, revokedAt, revokedBy, List.of());
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** How the audit log and error messages name whoever used this token. */
    public String actor() {
        return name + " (" + kind.wire() + " token #" + id + ")";
    }
}
