package dev.darklaunch.sdk.internal.evaluation;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of {@code prefix + value}, written here rather than
 * taken from a library because the hot path must hash a salt and a context attribute without
 * concatenating them (no allocation for ASCII values, which context keys nearly always are).
 * Pinned against published test vectors in {@code Murmur3Test}.
 */
final class Murmur3 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {
    }

    /**
     * A salt prefix hashed once: the state after its whole 4-byte blocks, and its last 0–3 bytes
     * waiting for the value's first characters. Hashing a value then touches only the value.
     */
    static final class Prefix {
        private final byte[] bytes;
        private final int seed;
        private final int h1;
        private final int pending;
        private final int pendingCount;

        Prefix(byte[] bytes, int seed) {
            this.bytes = bytes;
            this.seed = seed;
            int h = seed;
            int blocks = bytes.length & ~3;
            for (int i = 0; i < blocks; i += 4) {
                h = mixH1(h, mixK1((bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff) << 16
                        | (bytes[i + 3] & 0xff) << 24));
            }
            int k = 0;
            for (int i = blocks; i < bytes.length; i++) {
                k |= (bytes[i] & 0xff) << (8 * (i - blocks));
            }
            this.h1 = h;
            this.pending = k;
            this.pendingCount = bytes.length - blocks;
        }

        /** The hash of the prefix followed by the UTF-8 bytes of {@code value}. */
        int hash(String value) {
            int n = value.length();
            int h = h1;
            int k = pending;
            int count = pendingCount;
            int i = 0;
            while (count != 0 && i < n) { // complete the prefix's last block
                char c = value.charAt(i++);
                if (c >= 0x80) {
                    return Murmur3.hash(bytes, value, seed);
                }
                k |= c << (8 * count);
                if (++count == 4) {
                    h = mixH1(h, mixK1(k));
                    k = 0;
                    count = 0;
                }
            }
            int blocksEnd = i + ((n - i) & ~3);
            for (; i < blocksEnd; i += 4) {
                char c0 = value.charAt(i);
                char c1 = value.charAt(i + 1);
                char c2 = value.charAt(i + 2);
                char c3 = value.charAt(i + 3);
                if ((c0 | c1 | c2 | c3) >= 0x80) {
                    return Murmur3.hash(bytes, value, seed);
                }
                h = mixH1(h, mixK1(c0 | c1 << 8 | c2 << 16 | c3 << 24));
            }
            for (; i < n; i++) {
                char c = value.charAt(i);
                if (c >= 0x80) {
                    return Murmur3.hash(bytes, value, seed);
                }
                k |= c << (8 * count++);
            }
            if (count != 0) {
                h ^= mixK1(k);
            }
            return fmix(h ^ (bytes.length + n));
        }
    }

    static int hash(byte[] prefix, String value, int seed) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return hashBytes(concat(prefix, value.getBytes(StandardCharsets.UTF_8)), seed);
            }
        }
        int p = prefix.length;
        int length = p + value.length();
        int h1 = seed;
        int blocks = length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            int k1 = byteAt(prefix, value, p, i) | byteAt(prefix, value, p, i + 1) << 8
                    | byteAt(prefix, value, p, i + 2) << 16 | byteAt(prefix, value, p, i + 3) << 24;
            h1 = mixH1(h1, mixK1(k1));
        }
        int k1 = 0;
        switch (length & 3) {
            case 3:
                k1 ^= byteAt(prefix, value, p, blocks + 2) << 16;
                // fall through
            case 2:
                k1 ^= byteAt(prefix, value, p, blocks + 1) << 8;
                // fall through
            case 1:
                k1 ^= byteAt(prefix, value, p, blocks);
                h1 ^= mixK1(k1);
                break;
            default:
                break;
        }
        return fmix(h1 ^ length);
    }

    static int hashBytes(byte[] data, int seed) {
        int h1 = seed;
        int blocks = data.length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            int k1 = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            h1 = mixH1(h1, mixK1(k1));
        }
        int k1 = 0;
        switch (data.length & 3) {
            case 3:
                k1 ^= (data[blocks + 2] & 0xff) << 16;
                // fall through
            case 2:
                k1 ^= (data[blocks + 1] & 0xff) << 8;
                // fall through
            case 1:
                k1 ^= data[blocks] & 0xff;
                h1 ^= mixK1(k1);
                break;
            default:
                break;
        }
        return fmix(h1 ^ data.length);
    }

    /** Byte {@code i} of prefix followed by an ASCII value. */
    private static int byteAt(byte[] prefix, String value, int p, int i) {
        return i < p ? prefix[i] & 0xff : value.charAt(i - p);
    }

    private static int mixK1(int k1) {
        return Integer.rotateLeft(k1 * C1, 15) * C2;
    }

    private static int mixH1(int h1, int k1) {
        return Integer.rotateLeft(h1 ^ k1, 13) * 5 + 0xe6546b64;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
