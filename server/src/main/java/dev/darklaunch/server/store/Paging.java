package dev.darklaunch.server.store;

import dev.darklaunch.server.failures.Failure;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cursor paging: {@code limit} (1–500, default 50) and an opaque {@code cursor} returned as
 * {@code next} by the previous page. A cursor encodes the position of the last row returned
 * (a key or a sequence number), so pages never skip or repeat rows when new ones arrive.
 *
 * <p>A cursor is accepted only if it is exactly what {@link #cursorFor} makes of such a position
 * (unpadded base64url of 1 to 200 key characters); anything else is answered with 400 naming
 * {@code cursor}, rather than being used as a position that no page ever ended at.
 */
public record Paging(int limit, Optional<String> after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** What a position is: a key (flags, segments, …) or a sequence number (the audit log). */
    private static final Pattern POSITION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final int MAX_CURSOR_LENGTH = 300;

    /**
     * The page a caller asks for with {@code limit} and {@code cursor} (each null when not given).
     *
     * @throws Failure.Invalid naming {@code limit} or {@code cursor} when one is not acceptable
     */
    public static Paging of(String limit, String cursor) {
        return new Paging(limit(limit), cursor(cursor));
    }

    /** The position as a sequence number, for resources paged by one. */
    public Optional<Long> afterSequence() {
        return after.map(value -> {
            try {
                long position = Long.parseLong(value);
                if (position >= 0) {
                    return position;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw invalidCursor();
        });
    }

    public static String cursorFor(Object position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(position.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Failure.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static Optional<String> cursor(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() <= MAX_CURSOR_LENGTH) {
            try {
                String position = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
                if (POSITION.matcher(position).matches() && cursorFor(position).equals(value)) {
                    return Optional.of(position);
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
        }
        throw invalidCursor();
    }

    private static Failure invalidCursor() {
        return Failure.invalid("cursor", "cursor must be the 'next' value of a previous page");
    }
}
