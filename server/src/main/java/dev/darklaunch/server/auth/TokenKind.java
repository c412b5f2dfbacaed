package dev.darklaunch.server.auth;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a token may do; see {@link Caller} for the exact rules. */
public enum TokenKind {
    /** Everything, in every project. */
    ADMIN,
    /** Read its project; switch flags and record deployments in its listed environments only. */
    PIPELINE,
    /** Read one environment's SDK feed; nothing else. */
    SDK;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    public static TokenKind fromWire(String value) {
        for (TokenKind kind : values()) {
            if (kind.wire().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown token kind " + value);
    }
}
