package dev.darklaunch.sdk.internal.model;

import java.util.List;

/**
 * Who belongs to a segment in one environment: a context is a member when its key is in
 * {@code included}, or else when its key is not in {@code excluded} and any rule matches.
 *
 * @param included context keys that are always members; empty when absent
 * @param excluded context keys that are never matched by rules; empty when absent
 * @param rules membership rules, any one matching suffices; empty when absent
 */
public record SegmentConfig(List<String> included, List<String> excluded, List<SegmentRule> rules) {
    private static final SegmentConfig EMPTY = new SegmentConfig(List.of(), List.of(), List.of());

    public SegmentConfig {
        included = Copies.list(included);
        excluded = Copies.list(excluded);
        rules = Copies.list(rules);
    }

    /** A segment with no members. */
    public static SegmentConfig empty() {
        return EMPTY;
    }
}
