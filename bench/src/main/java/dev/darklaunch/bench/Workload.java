package dev.darklaunch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * What every library is given, described once and independently of any library: the same 1 000
 * flags and the same 1 024 users, generated from a fixed seed so that every run and every fork
 * sees identical data. Each {@link FlagLibrary} translates this into its own format.
 *
 * <p>Flags come in three kinds, interleaved by index (i % 3): on/off flags (alternately on and
 * off), sticky 50 % rollouts by user id, and flags with one five-clause rule. Users alternate
 * between matching the rule (even index) and failing exactly one of its five clauses (odd index,
 * the failing clause cycling through all five), so a rule evaluation usually walks most clauses.
 */
final class Workload {

    static final int FLAG_COUNT = 1_000;
    /** A power of two, so that rotating through users is a mask. */
    static final int USER_COUNT = 1_024;
    static final int ROLLOUT_PERCENT = 50;

    /** The five clauses of the rule scenario, shared by every library that can express them. */
    static final List<String> RULE_COUNTRIES = List.of("NO", "SE", "DK", "FI", "DE", "NL", "FR", "ES", "IT", "PL");
    static final String RULE_PLAN = "pro";
    static final String RULE_EMAIL_SUFFIX = "@example.com";
    static final String RULE_MIN_VERSION = "2.1.0";
    /** Attribute names; the boolean attribute must be {@code true}. */
    static final String COUNTRY = "country";
    static final String PLAN = "plan";
    static final String EMAIL = "email";
    static final String APP_VERSION = "appVersion";
    static final String BETA = "beta";

    private static final List<String> OTHER_COUNTRIES = List.of("US", "GB", "CA", "BR", "IN", "JP", "AU", "ZA", "MX", "KR");
    private static final List<String> MATCHING_VERSIONS = List.of("2.1.0", "2.1.7", "2.4.0", "2.10.3", "3.0.0");
    private static final List<String> OLDER_VERSIONS = List.of("2.0.9", "1.12.0", "2.0.0", "1.0.4");
    private static final Set<String> RULE_COUNTRY_SET = Set.copyOf(RULE_COUNTRIES);
    private static final Workload STANDARD = generate(20_240_601L);

    enum Kind {
        ON_OFF("onoff"), ROLLOUT("rollout"), RULE("rule");

        final String slug;

        Kind(String slug) {
            this.slug = slug;
        }
    }

    /** A flag: its key, its kind, and (for on/off flags) whether it is on. Rollout and rule flags are on. */
    record FlagSpec(String key, Kind kind, boolean on) {}

    /** A user with the attributes the rule looks at. {@code id} is the context key and the bucketing attribute. */
    record User(String id, String country, String plan, String email, String appVersion, boolean beta) {}

    private final List<FlagSpec> flags;
    private final List<User> users;

    private Workload(List<FlagSpec> flags, List<User> users) {
        this.flags = List.copyOf(flags);
        this.users = List.copyOf(users);
    }

    static Workload standard() {
        return STANDARD;
    }

    List<FlagSpec> flags() {
        return flags;
    }

    List<User> users() {
        return users;
    }

    /**
     * Another String object with the same text. A library holds its flags under other String
     * objects than the keys the benchmark passes (as after reading them from a file or a server),
     * and users' attribute values are not the rule's own objects, so that nothing is found or
     * matched by reference equality alone.
     */
    static String copy(String key) {
        return new String(key.toCharArray());
    }

    /** Indexes into {@link #flags()} of the flags of one kind, in order. */
    int[] indexesOf(Kind kind) {
        return IntStream.range(0, flags.size()).filter(i -> flags.get(i).kind() == kind).toArray();
    }

    /**
     * The rule's meaning in plain Java: the reference answer every library must reproduce, and the
     * {@code Floor} benchmark's "five comparisons". Short-circuits in clause order, as the libraries do.
     */
    static boolean matchesRule(User user) {
        return RULE_COUNTRY_SET.contains(user.country())
                && RULE_PLAN.equals(user.plan())
                && user.email().endsWith(RULE_EMAIL_SUFFIX)
                && versionAtLeast(user.appVersion(), 2, 1, 0)
                && user.beta();
    }

    /** Whether a plain "major.minor.patch" version is at least the given one; parses without allocating. */
    static boolean versionAtLeast(String version, int major, int minor, int patch) {
        long packed = packedVersion(version);
        return packed >= 0 && packed >= ((long) major << 40 | (long) minor << 20 | patch);
    }

    /** "major.minor.patch" as major·2⁴⁰ + minor·2²⁰ + patch (each part below 2²⁰), or -1 when it is not such a version. */
    private static long packedVersion(String version) {
        long packed = 0;
        int position = 0;
        for (int part = 0; part < 3; part++) {
            if (part > 0) {
                if (position >= version.length() || version.charAt(position) != '.') {
                    return -1;
                }
                position++;
            }
            int start = position;
            long value = 0;
            while (position < version.length() && version.charAt(position) >= '0' && version.charAt(position) <= '9') {
                value = value * 10 + (version.charAt(position++) - '0');
                if (value >= 1 << 20) {
                    return -1;
                }
            }
            if (position == start) {
                return -1;
            }
            packed = packed << 20 | value;
        }
        return position == version.length() ? packed : -1;
    }

    private static Workload generate(long seed) {
        List<FlagSpec> flags = new ArrayList<>(FLAG_COUNT);
        for (int i = 0; i < FLAG_COUNT; i++) {
            Kind kind = Kind.values()[i % 3];
            boolean on = kind != Kind.ON_OFF || (i / 3) % 2 == 0;
            flags.add(new FlagSpec(String.format("%s-%04d", kind.slug, i), kind, on));
        }
        Random random = new Random(seed);
        List<User> users = new ArrayList<>(USER_COUNT);
        for (int i = 0; i < USER_COUNT; i++) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            int failing = i % 2 == 0 ? -1 : (i / 2) % 5; // which clause this user fails, -1 for none
            // copies: attribute values arrive with a request, never as the rule's own String objects
            User user = new User(id,
                    copy(pick(random, failing == 0 ? OTHER_COUNTRIES : RULE_COUNTRIES)),
                    copy(failing == 1 ? (random.nextBoolean() ? "free" : "team") : RULE_PLAN),
                    "user" + i + (failing == 2 ? (random.nextBoolean() ? "@example.org" : "@mail.test") : RULE_EMAIL_SUFFIX),
                    copy(pick(random, failing == 3 ? OLDER_VERSIONS : MATCHING_VERSIONS)),
                    failing != 4);
            if (matchesRule(user) != (failing < 0)) {
                throw new IllegalStateException("workload generator disagrees with the rule for " + user);
            }
            users.add(user);
        }
        return new Workload(flags, users);
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
