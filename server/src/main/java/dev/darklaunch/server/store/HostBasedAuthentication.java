package dev.darklaunch.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The embedded PostgreSQL's {@code pg_hba.conf}: who may connect, and how they prove it. Every
 * rule, the Unix socket's included, asks for a password (SCRAM-SHA-256); nothing is trusted for
 * coming from this machine, since other local users share its loopback interface and sockets.
 */
final class HostBasedAuthentication {

    static final String FILE = "pg_hba.conf";

    private static final String PASSWORDS_ONLY = """
            # Written by Darklaunch: every connection to the embedded database needs the password kept
            # in the data directory (postgres-password); nothing is trusted for being local.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    private HostBasedAuthentication() {
    }

    /** Whether any rule lets a connection in without a password ("trust", as earlier versions left it). */
    static boolean trustsAnyone(Path file) throws IOException {
        return rules(file).stream().anyMatch(fields -> List.of(fields).contains("trust"));
    }

    /** Replaces the rules with password-only ones; PostgreSQL applies them on its next start or reload. */
    static void requirePasswords(Path file) throws IOException {
        Path temporary = file.resolveSibling(FILE + ".tmp");
        Files.writeString(temporary, PASSWORDS_ONLY, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String[]> rules(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+"))
                .toList();
    }
}
