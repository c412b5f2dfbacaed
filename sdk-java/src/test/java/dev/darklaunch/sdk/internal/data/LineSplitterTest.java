package dev.darklaunch.sdk.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server-Sent Events lines: LF, CRLF and CR ends, UTF-8 split anywhere, long lines in linear time. */
class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter(lines::add, 1024);

    private void feed(byte[] bytes, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            assertThat(splitter.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, cut)))).isTrue();
            from = cut;
        }
        assertThat(splitter.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, bytes.length)))).isTrue();
    }

    @Test
    void everyLineEndOfTheSpec_evenACrlfSplitBetweenChunks() {
        byte[] bytes = "a: 1\nb: 2\r\nc: 3\rd: 4\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        feed(bytes, 10); // between the CR and the LF of "b: 2\r\n"
        assertThat(lines).containsExactly("a: 1", "b: 2", "c: 3", "d: 4", "");
        assertThat(splitter.hasPartialLine()).isFalse();
    }

    @Test
    void utf8CharactersSplitBetweenChunksAreDecodedWhole() {
        byte[] bytes = "data: İstanbul → 東京 🚀\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            lines.clear();
            feed(bytes, cut);
            assertThat(lines).as("cut at %d", cut).containsExactly("data: İstanbul → 東京 🚀");
        }
    }

    @Test
    void aLineWithoutItsEndIsPartial() {
        feed("event: snapshot\ndata: {\"rev".getBytes(StandardCharsets.UTF_8));
        assertThat(lines).containsExactly("event: snapshot");
        assertThat(splitter.hasPartialLine()).isTrue();
    }

    @Test
    void aLineLongerThanTheLimitIsRefused() {
        LineSplitter small = new LineSplitter(lines::add, 16);
        assertThat(small.feed(ByteBuffer.wrap("0123456789abcdef\n".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(small.feed(ByteBuffer.wrap("0123456789abcdefg".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(lines).containsExactly("0123456789abcdef");
    }

    @Test
    void aFiveMegabyteLineInSmallChunks() {
        LineSplitter large = new LineSplitter(lines::add, 64 * 1024 * 1024);
        byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 320; i++) {
            large.feed(ByteBuffer.wrap(chunk));
        }
        large.feed(ByteBuffer.wrap(new byte[]{'\n'}));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).hasSize(320 * 16 * 1024);
    }
}
