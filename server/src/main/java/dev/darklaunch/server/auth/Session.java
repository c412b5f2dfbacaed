package dev.darklaunch.server.auth;

import java.time.OffsetDateTime;

/**
 * A signed-in admin UI user's session, as the server knows it while handling a request (the
 * secret is not part of it: only its hash is ever stored).
 *
 * @param expiresAt when it ends unless used again: the earlier of the idle and the absolute end
 */
public record Session(long id, User user, String csrfToken, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
}
