package dev.darklaunch.server.imports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How Unleash names become Darklaunch keys and attribute names: deterministically, so that a
 * re-import finds the same flags, and unchanged wherever possible, so that application code keeps
 * its names.
 *
 * <ul>
 *   <li>A name that already is a valid key (1 to 100 ASCII letters, digits, {@code . _ -},
 *       starting with a letter or digit) is the key.
 *   <li>Any other name becomes a readable slug plus a hash: each run of characters a key cannot
 *       hold becomes one {@code -}, leading characters a key cannot start with are dropped, the
 *       slug is cut to 91 characters, and {@code -} plus the first 8 hex digits of the SHA-256 of
 *       the UTF-8 name is appended. {@code Feature.UTF-8.Hellø_Wørld} becomes
 *       {@code Feature.UTF-8.Hell-_W-rld-} followed by its hash. The hash keeps two names that
 *       share a slug apart.
 *   <li>Attribute names follow the same rule with the attribute syntax (letters, digits,
 *       {@code _ . -}, starting with a letter or {@code _}); {@code key}, which Darklaunch
 *       reserves for the context key, is treated as invalid.
 * </ul>
 */
public final class UnleashNames {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,99}");
    private static final int HASH_LENGTH = 8;
    private static final int SLUG_LENGTH = 100 - HASH_LENGTH - 1;

    private UnleashNames() {
    }

    /** The flag key of an Unleash feature name. */
    public static String flagKey(String name) {
        if (KEY.matcher(name).matches()) {
            return name;
        }
        String slug = slug(name).replaceFirst("^[._-]+", "").replaceFirst("-+$", "");
        return (slug.isEmpty() ? "" : slug + "-") + hash(name);
    }

    /**
     * The Darklaunch attribute an Unleash context field is read from: {@code userId},
     * {@code sessionId}, {@code remoteAddress}, {@code environment}, {@code appName},
     * {@code currentTime} and properties keep their names when valid.
     */
    public static String attribute(String contextName) {
        if (!contextName.equals("key") && ATTRIBUTE.matcher(contextName).matches()) {
            return contextName;
        }
        String slug = slug(contextName).replaceFirst("-+$", "");
        if (!slug.isEmpty() && !Character.isLetter(slug.charAt(0)) && slug.charAt(0) != '_') {
            slug = "_" + slug.substring(0, Math.min(slug.length(), SLUG_LENGTH - 1));
        }
        return (slug.isEmpty() ? "_" : slug + "-") + hash(contextName);
    }

    /** {@code base + suffix} as a key, shortened with a hash when too long. */
    static String derived(String base, String suffix) {
        String key = base + suffix;
        return key.length() <= 100 ? key : key.substring(0, SLUG_LENGTH) + "-" + hash(key);
    }

    /** The first 8 hex digits of the SHA-256 of the UTF-8 text. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String slug(String name) {
        StringBuilder slug = new StringBuilder();
        boolean replacing = false;
        for (int i = 0; i < name.length() && slug.length() < SLUG_LENGTH; i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (allowed) {
                slug.append(c);
            } else if (!replacing) {
                slug.append('-');
            }
            replacing = !allowed;
        }
        return slug.toString();
    }
}
