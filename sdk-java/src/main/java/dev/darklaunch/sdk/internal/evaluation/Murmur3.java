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
