package dev.darklaunch.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.darklaunch.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Password policy and hashing for admin UI users. Hashes are bcrypt at cost {@value #COST}: about
 * a quarter of a second per hash on one core of a small server, slow enough to make offline
 * guessing of a stolen hash expensive, fast enough for sign-in. Passwords longer than bcrypt's 72
 * bytes are first reduced with SHA-512 (the library's documented strategy) instead of being cut
 * off. Verification compares in constant time (the library does). Hashing blocks, so the async
 * methods run it on a worker thread, never on an event loop.
 */
public final class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 256;
    static final int COST = 12;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
    private static final BCrypt.Hasher HASHER = BCrypt.with(VERSION, new SecureRandom(), LongPasswordStrategies.hashSha512(VERSION));
    private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    /** Checked when an email is unknown, so that a wrong email takes as long as a wrong password. */
    private volatile String decoy;

    public Passwords(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Fails with 400 naming {@code field} when the password is too short or too long. */
    public static void checkPolicy(String field, String password) {
        if (password == null) {
            throw ApiError.invalid(field, field + " is required: at least " + MIN_LENGTH + " characters");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw ApiError.invalid(field, "the password is too short: use at least " + MIN_LENGTH
                    + " characters (a few unrelated words make a good one)");
        }
        if (length > MAX_LENGTH) {
            throw ApiError.invalid(field, "the password is too long: at most " + MAX_LENGTH + " characters");
        }
    }

    /** A random password for the first admin, about 128 bits. */
    public static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Blocking: hashes a password with a fresh salt. */
    public static String hashNow(String password) {
        return HASHER.hashToString(COST, password.toCharArray());
    }

    /** Blocking: whether the password matches the hash (false for a malformed hash). */
    public static boolean verifyNow(String password, String hash) {
        BCrypt.Result result = VERIFYER.verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8));
        return result.validFormat && result.verified;
    }

    /** Prepares the decoy hash ahead of the first sign-in, so even that one takes the usual time. */
    public Future<Void> prepare() {
        return vertx.executeBlocking(() -> {
            decoy();
            return null;
        }, false);
    }

    public Future<String> hash(String password) {
        return vertx.executeBlocking(() -> hashNow(password), false);
    }

    /**
     * Whether the password matches the hash; with a null hash (no such user) it checks a decoy
     * hash and answers false, taking the same time.
     */
    public Future<Boolean> verify(String password, String hash) {
        return vertx.executeBlocking(() -> {
            if (hash != null) {
                return verifyNow(password, hash);
            }
            verifyNow(password, decoy());
            return false;
        }, false);
    }

    private String decoy() {
        String current = decoy;
        if (current == null) {
            current = hashNow(generate());
            decoy = current;
        }
        return current;
    }
}
