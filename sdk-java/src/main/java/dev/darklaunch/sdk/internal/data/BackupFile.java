package dev.darklaunch.sdk.internal.data;

import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.ModelJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The backup file: the last environment data received, in the feed's snapshot format. Written
 * atomically — a temporary file in the same directory, flushed to disk, then renamed over the old
 * one — so a crash leaves the old or the new file, never half of one. Read at start; a missing,
 * truncated or corrupt file is ignored (with a warning unless it is simply missing).
 */
public final class BackupFile {

    private static final Logger log = LoggerFactory.getLogger(BackupFile.class);

    private final Path path;

    public BackupFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** The data in the file, or empty when there is none or it cannot be read. Never throws. */
    public Optional<EnvironmentData> read() {
        try {
            return Optional.of(FeedHttp.parseData(Files.readString(path, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            log.debug("no Darklaunch backup file at {}", path);
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring the Darklaunch backup file {}: it cannot be read as flag data ({})", path, e.getMessage());
        }
        return Optional.empty();
    }

    /** Replaces the file's content with {@code data}, atomically. */
    public void write(EnvironmentData data) throws IOException {
        byte[] bytes = ModelJson.mapper().writeValueAsBytes(data);
        Path directory = path.getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, path.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
