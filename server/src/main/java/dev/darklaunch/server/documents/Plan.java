package dev.darklaunch.server.documents;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What applying a document does, per resource, and what it was computed on: the revision of every
 * environment and a token over every revision and version. Applying with {@code expect=<token>}
 * is refused (412) when anything changed since.
 *
 * @param document the SHA-256 of the document as sent
 * @param changes  whether applying changes anything
 */
public record Plan(String project, String document, String token, Map<String, Long> revisions, boolean changes, Map<String, Integer> summary,
            List<Resource> resources) {

    /**
     * One resource: a flag or segment definition ({@code environment} null) or its configuration in
     * one environment ({@code flagConfig}, {@code segmentConfig}); the version it was computed on
     * (null when created) and, for an update, the fields that change.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resource(String kind, String key, String environment, String action, Long version, List<Diff.FieldChange> diff) {
    }
}
