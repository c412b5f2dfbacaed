package dev.darklaunch.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Token secrets: 256 random bits with a recognisable prefix ({@code dl_pipeline_…}) so secret
 * scanners and people can tell what leaked. Only the SHA-256 hash is stored: the secrets are
 * random and long, so a fast hash is enough (no password stretching needed).
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String generate(TokenKind kind) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "dl_" + kind.wire() + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Enough of the secret to recognise it in a list, not enough to use it. */
    public static String hint(String secret) {
        String prefix = "";
        for (TokenKind kind : TokenKind.values()) {
            String kindPrefix = "dl_" + kind.wire() + "_"; // the random part may contain '_' itself
            if (secret.startsWith(kindPrefix)) {
                prefix = kindPrefix;
            }
        }
        return prefix + "…" + secret.substring(Math.max(prefix.length(), secret.length() - 4));
    }
}
