package dev.darklaunch.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.darklaunch.server.failures.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * Password policy and hashing for admin UI users. Hashes are bcrypt at cost {@value #COST}: about
 * a quarter of a second per hash on one core of a small server, slow enough to make offline
 * guessing of a stolen hash expensive, fast enough for sign-in. Passwords longer than bcrypt's 72
 * bytes are first reduced with SHA-512 (the library's documented strategy) instead of being cut
 * off. Verification compares in constant time (the library does).
 *
 * <p>Hashing blocks, so the async methods run it on a small pool of its own ({@link PasswordPool}),
 * never on an event loop nor on Vert.x's shared worker pool: there, a flood of bogus sign-ins
 * queued without bound ahead of every real one (and of everything else that runs there). This
 * pool has a few threads and a short line, served in order of the callers' recent failures; when
 * it is full, a check is refused at once with 503 ({@link #busy}) rather than waiting behind all
 * the others, so a caller waits at most about a line's worth of hashes.
 */
public final class Passwords implements AutoCloseable {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 256;
    static final int COST = 12;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
    private static final BCrypt.Hasher HASHER = BCrypt.with(VERSION, new SecureRandom(), LongPasswordStrategies.hashSha512(VERSION));
    private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Threads hashing at once: half the cores (at least 2, at most 8), so hashing never takes every core. */
    static final int THREADS = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() / 2));
    /** Checks that may wait for a thread; more are refused with {@link #BUSY}. */
    static final int LINE = 16;
    private static final Failure BUSY = Failure.unavailable("the server is checking too many passwords right now; "
            + "try again in a few seconds");

    private final Vertx vertx;
    private final PasswordPool pool;
    /** Checked when an email is unknown, so that a wrong email takes as long as a wrong password. */
    private volatile String decoy;

    public Passwords(Vertx vertx) {
        this(vertx, THREADS, LINE);
    }

    Passwords(Vertx vertx, int threads, int line) {
        this.vertx = vertx;
        this.pool = new PasswordPool(threads, line);
    }

    /** Whether a failure means the pool was full: the check was not made; the caller may try again shortly. */
    public static boolean busy(Throwable failure) {
        return failure == BUSY;
    }

    /** Fails with 400 naming {@code field} when the password is too short or too long. */
    public static void checkPolicy(String field, String password) {
        if (password == null) {
            throw Failure.invalid(field, field + " is required: at least " + MIN_LENGTH + " characters");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw Failure.invalid(field, "the password is too short: use at least " + MIN_LENGTH
                    + " characters (a few unrelated words make a good one)");
        }
        if (length > MAX_LENGTH) {
            throw Failure.invalid(field, "the password is too long: at most " + MAX_LENGTH + " characters");
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
        return run(0, () -> {
            decoy();
            return null;
        });
    }

    public Future<String> hash(String password) {
        return run(0, () -> hashNow(password));
    }

    /**
     * Whether the password matches the hash; with a null hash (no such user) it checks a decoy
     * hash and answers false, taking the same time.
     */
    public Future<Boolean> verify(String password, String hash) {
        return verify(password, hash, 0);
    }

    /**
     * Like {@link #verify(String, String)}, for a caller whose client failed {@code recentFailures}
     * sign-ins lately: the fewer, the sooner it is checked.
     */
    public Future<Boolean> verify(String password, String hash, int recentFailures) {
        return run(recentFailures, () -> {
            if (hash != null) {
                return verifyNow(password, hash);
            }
            verifyNow(password, decoy());
            return false;
        });
    }

    /** Stops the pool; checks still waiting are dropped. */
    @Override
    public void close() {
        pool.close();
    }

    /** Runs blocking work on the pool; the future completes on the caller's context. */
    private <T> Future<T> run(int recentFailures, Callable<T> work) {
        Context context = vertx.getOrCreateContext();
        Promise<T> promise = Promise.promise();
        boolean queued = pool.submit(recentFailures, () -> {
            try {
                T result = work.call();
                context.runOnContext(v -> promise.complete(result));
            } catch (Throwable e) {
                context.runOnContext(v -> promise.fail(e));
            }
        }, () -> context.runOnContext(v -> promise.fail(BUSY)));
        return queued ? promise.future() : Future.failedFuture(BUSY);
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
