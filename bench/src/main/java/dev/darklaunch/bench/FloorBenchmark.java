package dev.darklaunch.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The raw work under the scenarios, written as plainly as Java allows, with the same rotation over
 * flags and users as {@link Scenario}: a lower bound to read the libraries' numbers against.
 * {@link #baseline} is the rotation alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class FloorBenchmark {

    private Map<String, Workload.FlagSpec> flagsByKey;
    /** The keys to look up: other String objects than the map's (see {@link Workload#copy}). */
    private String[] keys;
    private int[] onOffFlags;
    private int[] rolloutFlags;
    /** UTF-8 of "<rollout flag key>:<user id>" for the first rollout flag, one per user. */
    private byte[][] saltedIds;
    private Workload.User[] users;

    @Setup(Level.Trial)
    public void setUp() {
        Workload workload = Workload.standard();
        flagsByKey = new HashMap<>();
        workload.flags().forEach(spec -> flagsByKey.put(Workload.copy(spec.key()), spec));
        keys = workload.flags().stream().map(Workload.FlagSpec::key).toArray(String[]::new);
        onOffFlags = workload.indexesOf(Workload.Kind.ON_OFF);
        rolloutFlags = workload.indexesOf(Workload.Kind.ROLLOUT);
        String salt = workload.flags().get(rolloutFlags[0]).key();
        saltedIds = workload.users().stream().map(u -> (salt + ":" + u.id()).getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        users = workload.users().toArray(Workload.User[]::new);
    }

    /** The rotation every scenario pays: next flag, next user. */
    @Benchmark
    public int baseline(Scenario.Cursor cursor) {
        return onOffFlags[cursor.nextFlag(onOffFlags.length)] ^ cursor.nextUser();
    }

    /** One HashMap lookup of a flag key among 1 000. */
    @Benchmark
    public Object hashMapLookup(Scenario.Cursor cursor) {
        int flag = onOffFlags[cursor.nextFlag(onOffFlags.length)];
        cursor.nextUser();
        return flagsByKey.get(keys[flag]);
    }

    /** One murmur3 (x86, 32-bit) hash of "flag:user id", as a sticky rollout needs. */
    @Benchmark
    public int murmur3(Scenario.Cursor cursor) {
        cursor.nextFlag(rolloutFlags.length);
        return murmur3(saltedIds[cursor.nextUser()], 0);
    }

    /** The rule's five comparisons on plain fields, short-circuiting in clause order ({@link Workload#matchesRule}). */
    @Benchmark
    public boolean fiveComparisons(Scenario.Cursor cursor) {
        cursor.nextFlag(onOffFlags.length);
        return Workload.matchesRule(users[cursor.nextUser()]);
    }

    @SuppressWarnings("fallthrough") // the tail bytes, as in the reference implementation
    static int murmur3(byte[] data, int seed) {
        int h = seed;
        int blocks = data.length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            h ^= Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (data.length & 3) {
            case 3:
                k ^= (data[blocks + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (data[blocks + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= data[blocks] & 0xff;
                h ^= Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
                break;
            default:
                break;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
