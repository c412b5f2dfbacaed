package dev.darklaunch.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often a client may guess passwords. Failures are counted per client address and account,
 * and per client address over all accounts, never per account alone: whoever guesses from one
 * address is refused there, while the account's owner signs in from anywhere else as usual.
 *
 * <ul>
 *   <li>{@value #MAX_FAILURES_PER_ACCOUNT} failures for one account from one address within
 *       {@link #WINDOW} (15 minutes, from the first failure): that address is refused for that
 *       account, the right password included (or the refusals would tell a guess that is right),
 *       until the window ends;</li>
 *   <li>{@value #MAX_FAILURES_PER_ADDRESS} failures from one address, whatever the accounts: that
 *       address is refused for every account likewise;</li>
 *   <li>one password check at a time per address on each instance; another sign-in from that
 *       address meanwhile is refused at once (try again in a second).</li>
 * </ul>
 *
 * A refusal is 429 with {@code Retry-After}. A successful sign-in forgets that account's failures
 * from that address (and counts as none for the address).
 *
 * <p>The counts live in the database rather than in each instance's memory: behind a load
 * balancer, per-instance counters would give a guesser a fresh allowance on every instance, and a
 * restart would reset them. Each attempt takes its place first (one atomic upsert), so concurrent
 * guesses cannot all slip under a limit. Once the database has refused a client, each instance
 * remembers it until the refusal ends and refuses its further attempts without asking the
 * database again (nothing but the window's end lifts a refusal), so a flood of refused attempts
 * costs neither password checks nor database round trips.
 */
public final class SignInThrottle {

    static final int MAX_FAILURES_PER_ACCOUNT = 10;
    static final int MAX_FAILURES_PER_ADDRESS = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);
    /** The row that counts every account from an address. */
    private static final String ANY_ACCOUNT = "";
    /** Expired counts are deleted at most this often by each instance. */
    private static final long CLEANUP_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private static final String TAKE = """
            INSERT INTO sign_in_throttle AS t (address, account, failures, window_start)
            VALUES ($1, $2, 1, now()), ($1, '', 1, now())
            ON CONFLICT (address, account) DO UPDATE SET
                failures = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE t.failures + 1 END,
                window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN now() ELSE t.window_start END
            RETURNING account, failures, ceil(extract(epoch FROM t.window_start + make_interval(secs => $3) - now()))::bigint AS retry_after""";
    private static final String SUCCEEDED = """
            WITH forgotten AS (DELETE FROM sign_in_throttle WHERE address = $1 AND account = $2)
            UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE address = $1 AND account = ''""";
    private static final String NOT_CHECKED = """
            UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE address = $1 AND account IN ($2, '')""";
    private static final String EXPIRED = "DELETE FROM sign_in_throttle WHERE window_start <= now() - make_interval(secs => $1)";

    /**
     * An attempt that may go ahead, or (with {@code retryAfter} > 0) a refusal and why;
     * {@code recentFailures} counts the address's failed sign-ins in the window so far.
     */
    public record Attempt(String address, String account, int recentFailures, long retryAfter, String refusal) {
        public boolean refused() {
            return retryAfter > 0;
        }
    }

    /** A refusal remembered on this instance, until {@code until} (System.nanoTime()). */
    private record Refusal(long until, String message) {
    }

    private final Pool pool;
    /** Addresses with a password being checked on this instance. */
    private final Set<String> checking = ConcurrentHashMap.newKeySet();
    /** Refused addresses ({@code address}) and accounts from addresses ({@code address account}). */
    private final Cache<String, Refusal> refused = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(WINDOW).build();
    private final AtomicLong lastCleanup = new AtomicLong(System.nanoTime() - CLEANUP_INTERVAL_NANOS);

    public SignInThrottle(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes an attempt to sign in to {@code email} from {@code address}. When it may go ahead, the
     * caller must end it with {@link #succeeded}, {@link #failed} or {@link #notChecked}.
     */
    public Future<Attempt> begin(String email, String address) {
        String account = email.toLowerCase(Locale.ROOT);
        long now = System.nanoTime();
        for (String key : new String[]{address, address + " " + account}) {
            Refusal refusal = refused.getIfPresent(key);
            if (refusal != null && refusal.until() - now > 0) {
                long retryAfter = Math.max(1L, (refusal.until() - now + 999_999_999L) / 1_000_000_000L);
                return Future.succeededFuture(new Attempt(address, account, 0, retryAfter, refusal.message() + minutes(retryAfter)));
            }
        }
        if (!checking.add(address)) {
            return Future.succeededFuture(new Attempt(address, account, 0, 1,
                    "another sign-in from your address is being checked; try again in a moment"));
        }
        double window = WINDOW.toSeconds();
        return pool.preparedQuery(TAKE).execute(Tuple.of(address, account, window))
                .map(rows -> {
                    long retryAfter = 0;
                    String refusal = null;
                    int recentFailures = 0;
                    for (Row row : rows) {
                        boolean anyAccount = row.getString("account").equals(ANY_ACCOUNT);
                        if (anyAccount) {
                            recentFailures = row.getInteger("failures") - 1; // this attempt is not one yet
                        }
                        int limit = anyAccount ? MAX_FAILURES_PER_ADDRESS : MAX_FAILURES_PER_ACCOUNT;
                        long wait = Math.max(1L, row.getLong("retry_after"));
                        if (row.getInteger("failures") > limit) {
                            String message = anyAccount ? "too many failed sign-ins from your address; try again in "
                                    : "too many failed sign-ins to this account from your address; try again in ";
                            refused.put(anyAccount ? address : address + " " + account,
                                    new Refusal(now + Duration.ofSeconds(wait).toNanos(), message));
                            if (wait > retryAfter) {
                                retryAfter = wait;
                                refusal = message + minutes(wait);
                            }
                        }
                    }
                    return new Attempt(address, account, recentFailures, retryAfter, refusal);
                })
                .compose(attempt -> cleanUp(window).map(attempt))
                .onComplete(done -> {
                    if (done.failed() || done.result().refused()) {
                        checking.remove(address);
                    }
                });
    }

    /** The right password: that account's failures from that address are forgotten. */
    public Future<Void> succeeded(Attempt attempt) {
        checking.remove(attempt.address());
        return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(attempt.address(), attempt.account())).mapEmpty();
    }

    /** A wrong password (or email): it stays counted. */
    public void failed(Attempt attempt) {
        checking.remove(attempt.address());
    }

    /** The password could not be checked (the server was busy): the attempt is given back. */
    public Future<Void> notChecked(Attempt attempt) {
        checking.remove(attempt.address());
        return pool.preparedQuery(NOT_CHECKED).execute(Tuple.of(attempt.address(), attempt.account())).mapEmpty();
    }

    /** Deletes counts whose window has ended, at most once a minute per instance. */
    private Future<Void> cleanUp(double window) {
        long last = lastCleanup.get();
        long now = System.nanoTime();
        if (now - last < CLEANUP_INTERVAL_NANOS || !lastCleanup.compareAndSet(last, now)) {
            return Future.succeededFuture();
        }
        return pool.preparedQuery(EXPIRED).execute(Tuple.of(window)).mapEmpty();
    }

    private static String minutes(long seconds) {
        if (seconds <= 1) {
            return "a moment";
        }
        long minutes = (seconds + 59) / 60;
        return minutes <= 1 ? "a minute" : minutes + " minutes";
    }
}
