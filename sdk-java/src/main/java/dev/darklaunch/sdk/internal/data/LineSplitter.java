package dev.darklaunch.sdk.internal.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits an event stream's bytes into lines — ended by LF, CRLF or CR, as Server-Sent Events
 * allow — in time linear in the bytes, and decodes each line as UTF-8 (no line end byte occurs
 * inside a multi-byte UTF-8 character, so splitting before decoding is safe).
 *
 * <p>Written here rather than using the JDK's {@code BodySubscribers.fromLineSubscriber}, which
 * rescans a line's text for every chunk that arrives: a 5 MB snapshot, one line on the wire,
 * took 14 s on two cores. The SDK's dependencies offer no event stream reader. Not thread-safe:
 * fed by the HTTP client's serialised body callbacks.
 */
final class LineSplitter {

    private static final int INITIAL = 8 * 1024;

    private final Consumer<String> lines;
    private final int maxLineBytes;
    private byte[] pending = new byte[INITIAL];
    private int length;
    private boolean afterCarriageReturn;

    /**
     * @param lines        receives each complete line, without its line end
     * @param maxLineBytes the longest line accepted; {@link #feed} refuses longer ones
     */
    LineSplitter(Consumer<String> lines, int maxLineBytes) {
        this.lines = lines;
        this.maxLineBytes = maxLineBytes;
    }

    /** Takes all of {@code bytes}, passing on every line completed; false if a line grew past the limit. */
    boolean feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (b == '\n') {
                    continue; // the LF of a CRLF
                }
            }
            if (b == '\n' || b == '\r') {
                afterCarriageReturn = b == '\r';
                emit();
            } else {
                if (length >= maxLineBytes) {
                    return false;
                }
                if (length == pending.length) {
                    pending = Arrays.copyOf(pending, (int) Math.min((long) length * 2, maxLineBytes));
                }
                pending[length++] = b;
            }
        }
        return true;
    }

    /** Whether bytes of a line without its line end are waiting: at the end of the stream, a cut line. */
    boolean hasPartialLine() {
        return length > 0;
    }

    private void emit() {
        String line = new String(pending, 0, length, StandardCharsets.UTF_8);
        length = 0;
        if (pending.length > INITIAL) {
            pending = new byte[INITIAL]; // a snapshot's megabytes are not kept for the heartbeats after it
        }
        lines.accept(line);
    }
}
