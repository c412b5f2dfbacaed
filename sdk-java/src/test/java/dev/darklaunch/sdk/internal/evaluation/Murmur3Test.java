package dev.darklaunch.sdk.internal.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requirement: rollouts bucket with MurmurHash3 x86 32-bit over the UTF-8 bytes of
 * {@code salt + ":" + value} (ARCHITECTURE.md, "Rollout"; {@code Rollout} javadoc). Every SDK must
 * hash byte-for-byte alike, so ours is checked against published vectors and, independently,
 * against Guava's {@code Hashing.murmur3_32_fixed} (the variant that hashes non-BMP characters
 * correctly).
 */
class Murmur3Test {

    /** Published vectors (SMHasher / Wikipedia / widely reproduced lists), each also recomputed with Guava below. */
    static Stream<Arguments> publishedVectors() {
        return Stream.of(
                Arguments.of("", 0, 0x00000000),
                Arguments.of("", 1, 0x514E28B7),
                Arguments.of("", 0xFFFFFFFF, 0x81F16F39),
                Arguments.of("\0\0\0\0", 0, 0x2362F9DE),
                Arguments.of("a", 0x9747B28C, 0x7FA09EA6),
                Arguments.of("ab", 0x9747B28C, 0x74875592),
                Arguments.of("abc", 0, 0xB3DD93FA),
                Arguments.of("abc", 0x9747B28C, 0xC84A62DD),
                Arguments.of("abcd", 0x9747B28C, 0xF0478627),
                Arguments.of("aaaa", 0x9747B28C, 0x5A97808A),
                Arguments.of("hello", 0, 0x248BFA47),
                Arguments.of("Hello, world!", 0x9747B28C, 0x24884CBA),
                Arguments.of("The quick brown fox jumps over the lazy dog", 0, 0x2E4FF723),
                Arguments.of("The quick brown fox jumps over the lazy dog", 0x9747B28C, 0x2FA826CD),
                Arguments.of("ππππππππ", 0x9747B28C, 0xD58063C1));
    }

    @ParameterizedTest(name = "murmur3_32({0}, seed {1}) = {2}")
    @MethodSource("publishedVectors")
    void hashMatchesPublishedVectors(String text, int seed, int expected) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // The second source: the vector itself is right (guards against a typo in the table).
        assertThat(Hashing.murmur3_32_fixed(seed).hashBytes(bytes).asInt()).as("Guava").isEqualTo(expected);

        assertThat(Murmur3.hashBytes(bytes, seed)).as("hashBytes").isEqualTo(expected);
        assertThat(Murmur3.hash(new byte[0], text, seed)).as("hash with an empty prefix").isEqualTo(expected);
    }

    @ParameterizedTest(name = "every split of {0} hashes like the whole")
    @MethodSource("publishedVectors")
    void prefixAndValueHashLikeTheirConcatenationAtEverySplit(String text, int seed, int expected) {
        for (int i = 0; i <= text.length(); i = i < text.length() ? text.offsetByCodePoints(i, 1) : i + 1) {
            byte[] prefix = text.substring(0, i).getBytes(StandardCharsets.UTF_8);
            assertThat(Murmur3.hash(prefix, text.substring(i), seed)).as("split at %d", i).isEqualTo(expected);
            assertThat(new Murmur3.Prefix(prefix, seed).hash(text.substring(i))).as("pre-hashed prefix, split at %d", i)
                    .isEqualTo(expected);
        }
    }

    static Stream<Arguments> saltsAndValues() {
        return Stream.of(
                Arguments.of("new-checkout:", "user-42"),
                Arguments.of("new-checkout:", ""),
                Arguments.of("", "user-42"),
                Arguments.of("checkout:", "Zoë"),
                Arguments.of("checkout:", "café crème"),
                Arguments.of("checkout:", "😀"),
                Arguments.of("checkout:", "user-😀-1"),
                Arguments.of("checkout:", "日本語のユーザー"),
                Arguments.of("flag-ü:", "plain-ascii"),
                Arguments.of("flag-😀:", "Ünïcödé 😀"));
    }

    @ParameterizedTest(name = "hash({0} + {1}) = murmur3 of the UTF-8 concatenation")
    @MethodSource("saltsAndValues")
    void prefixAndValueHashLikeTheConcatenatedUtf8Bytes(String prefix, String value) {
        for (int seed : new int[]{0, 1, 86028157, -1}) {
            byte[] concatenated = (prefix + value).getBytes(StandardCharsets.UTF_8);
            int expected = Hashing.murmur3_32_fixed(seed).hashBytes(concatenated).asInt();
            assertThat(Murmur3.hash(prefix.getBytes(StandardCharsets.UTF_8), value, seed)).as("seed %d", seed).isEqualTo(expected);
            assertThat(Murmur3.hashBytes(concatenated, seed)).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Property(tries = 500)
    void anyPrefixAndValueHashLikeTheirConcatenatedUtf8Bytes(
            @ForAll("text") String prefix, @ForAll("text") String value, @ForAll int seed) {
        // Bytes, not strings, are concatenated: the salt always ends in ':', so an unpaired surrogate at the
        // end of one part can never pair with the start of the other.
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] concatenated = new byte[prefixBytes.length + valueBytes.length];
        System.arraycopy(prefixBytes, 0, concatenated, 0, prefixBytes.length);
        System.arraycopy(valueBytes, 0, concatenated, prefixBytes.length, valueBytes.length);
        HashFunction guava = Hashing.murmur3_32_fixed(seed);
        assertThat(Murmur3.hash(prefixBytes, value, seed)).isEqualTo(guava.hashBytes(concatenated).asInt());
        assertThat(new Murmur3.Prefix(prefixBytes, seed).hash(value)).isEqualTo(guava.hashBytes(concatenated).asInt());
    }

    /** ASCII (the common, allocation-free path), Latin-1, the BMP and emoji, every length 0..40. */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("😀", "Zoë", "naïve café", "👩‍👩‍👧 family", "ascii-then-é"));
    }
}
