package dev.darklaunch.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The password of the embedded PostgreSQL's superuser {@code postgres}: 256 random bits generated
 * on the first start and kept in a file in the data directory that only its owner may read or
 * write (0600), so other local users of the machine cannot connect. The file is written to a
 * temporary name and moved into place, so it is never seen half-written or with wider permissions.
 */
record EmbeddedPassword(Path file, String value) {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPassword.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads the password from {@code file}, or generates one and writes it there. */
    static EmbeddedPassword readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                log.atWarn().addKeyValue("file", file).log("the embedded database's password file could be read by others; "
                        + "made it readable by its owner only");
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("the embedded database's password file " + file + " is empty");
            }
            return new EmbeddedPassword(file, value);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        // base64url: safe in a database URL and in initdb's password file without quoting
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path temporary = posix()
                ? Files.createTempFile(file.getParent(), ".postgres-password", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(file.getParent(), ".postgres-password", ".tmp");
        Files.writeString(temporary, value + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        log.atInfo().addKeyValue("file", file).log("generated the embedded database's password");
        return new EmbeddedPassword(file, value);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Never print the password, even by accident. */
    @Override
    public String toString() {
        return "EmbeddedPassword[" + file + "]";
    }
}
