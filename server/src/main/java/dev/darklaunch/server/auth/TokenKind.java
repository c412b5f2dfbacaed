package dev.darklaunch.server.auth;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a token may do; see {@link Caller} for the exact rules. */
public enum TokenKind {
    /** Everything, in every project. */
    ADMIN,
    /** Read its project; switch flags and record deployments in its listed environments only. */
    PIPELINE,
    /** Read one environment's SDK feed and evaluate its flags over OFREP; nothing else. */
    SDK,
    /**
     * Safe to embed in a web page: evaluate, over OFREP, one environment's flags marked
     * {@code clientSide}, from the web origins listed on the token; nothing else.
     */
    CLIENT;

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
