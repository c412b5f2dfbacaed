package dev.darklaunch.server.documents;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.projects.Scope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A project as stored, read in one transaction: its environments (with their revisions), flags and
 * segments (with their versions) and every configuration (with its version), all in key order.
 */
record ProjectState(Scope scope, Map<String, EnvironmentRow> environments, Map<String, StoredFlag> flags,
                    Map<String, StoredSegment> segments) {

    record EnvironmentRow(long id, String key, long revision) {
    }

    record Versioned<T>(T value, long version) {
    }

    record StoredFlag(long id, Flag flag, long version, Map<String, Versioned<FlagConfig>> configs) {
    }

    record StoredSegment(long id, Segment segment, long version, Map<String, Versioned<SegmentConfig>> configs) {
    }

    /** The revision of every environment, by key: what a plan was computed on. */
    Map<String, Long> revisions() {
        Map<String, Long> revisions = new TreeMap<>();
        environments.forEach((key, row) -> revisions.put(key, row.revision()));
        return revisions;
    }

    /**
     * A digest of every revision and version: it changes with any write to the project (a segment's
     * name or description does not move a revision, so versions count too). A plan carries it, and
     * an apply that names it is refused when it no longer matches.
     */
    String token() {
        StringBuilder text = new StringBuilder();
        environments.forEach((key, row) -> text.append("e:").append(key).append('=').append(row.revision()).append('\n'));
        flags.forEach((key, flag) -> {
            text.append("f:").append(key).append('=').append(flag.version()).append('\n');
            flag.configs().forEach((environment, config) -> text.append(' ').append(environment).append('=').append(config.version()));
        });
        segments.forEach((key, segment) -> {
            text.append("s:").append(key).append('=').append(segment.version()).append('\n');
            segment.configs().forEach((environment, config) -> text.append(' ').append(environment).append('=').append(config.version()));
        });
        return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The project as a document: everything, in key order. */
    ProjectDocument document() {
        List<ProjectDocument.FlagEntry> flagEntries = flags.values().stream().map(f -> {
            Map<String, FlagConfig> configs = new TreeMap<>();
            f.configs().forEach((environment, config) -> configs.put(environment, config.value()));
            return new ProjectDocument.FlagEntry(f.flag(), configs);
        }).toList();
        List<ProjectDocument.SegmentEntry> segmentEntries = segments.values().stream().map(s -> {
            Map<String, SegmentConfig> configs = new TreeMap<>();
            s.configs().forEach((environment, config) -> configs.put(environment, config.value()));
            return new ProjectDocument.SegmentEntry(s.segment(), configs);
        }).toList();
        return new ProjectDocument(flagEntries, segmentEntries);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
