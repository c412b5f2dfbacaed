package dev.darklaunch.sdk;

import java.util.Objects;

/**
 * Why an evaluation served what it served — the answer to "why did this user get this?".
 *
 * @param kind            what decided
 * @param ruleIndex       for {@link Kind#RULE_MATCH}: the position of the matching rule, else -1
 * @param ruleId          for {@link Kind#RULE_MATCH}: the rule's id, if it has one, else null
 * @param prerequisiteKey for {@link Kind#PREREQUISITE_FAILED}: the prerequisite flag, else null
 * @param errorKind       for {@link Kind#ERROR}: what went wrong, else null
 * @param inRollout       whether a percentage rollout placed the context in its variation
 */
public record Reason(Kind kind, int ruleIndex, String ruleId, String prerequisiteKey, ErrorKind errorKind,
                     boolean inRollout) {

    /** What decided an evaluation. */
    public enum Kind {
        /** The flag is off: its off variation was served. */
        OFF,
        /** The context key is listed in the flag's individual targets. */
        TARGET_MATCH,
        /** A rule matched. */
        RULE_MATCH,
        /** A prerequisite flag did not serve the required variation: the off variation was served. */
        PREREQUISITE_FAILED,
        /** The flag is on and nothing more specific matched. */
        FALLTHROUGH,
        /** The flag could not be evaluated: the caller's default was served. */
        ERROR
    }

    /** Why an evaluation failed. */
    public enum ErrorKind {
        /** No flag has this key (yet). */
        FLAG_NOT_FOUND,
        /** The flag's values are not of the type asked for (e.g. a string flag read as boolean). */
        WRONG_TYPE,
        /** The flag's data cannot be evaluated (e.g. prerequisites nested too deep). */
        MALFORMED_FLAG,
        /** The client has no flag data yet. */
        CLIENT_NOT_READY,
        /** The caller passed no context or no flag key. */
        INVALID_INPUT
    }

    public Reason {
        Objects.requireNonNull(kind, "kind");
    }

    public static Reason off() {
        return new Reason(Kind.OFF, -1, null, null, null, false);
    }

    public static Reason targetMatch() {
        return new Reason(Kind.TARGET_MATCH, -1, null, null, null, false);
    }

    public static Reason ruleMatch(int ruleIndex, String ruleId, boolean inRollout) {
        return new Reason(Kind.RULE_MATCH, ruleIndex, ruleId, null, null, inRollout);
    }

    public static Reason prerequisiteFailed(String prerequisiteKey) {
        return new Reason(Kind.PREREQUISITE_FAILED, -1, null, prerequisiteKey, null, false);
    }

    public static Reason fallthrough(boolean inRollout) {
        return new Reason(Kind.FALLTHROUGH, -1, null, null, null, inRollout);
    }

    public static Reason error(ErrorKind errorKind) {
        return new Reason(Kind.ERROR, -1, null, null, Objects.requireNonNull(errorKind), false);
    }
}
