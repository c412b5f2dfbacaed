package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A reusable group of contexts, defined per project; its membership per environment is a
 * {@link SegmentConfig}. Clauses refer to it with {@link Operator#SEGMENT_MATCH}.
 *
 * @param key unique within the project, see {@link ModelValidator#validateKey}; required
 * @param name human-readable name; required
 * @param description free text, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Segment(String key, String name, String description) {}
