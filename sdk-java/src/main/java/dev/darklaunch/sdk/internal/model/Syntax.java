package dev.darklaunch.sdk.internal.model;

/**
 * A rule for identifier-like strings (keys, tags, attribute names, rule ids) that explains what is
 * wrong with a string instead of only rejecting it.
 */
record Syntax(String what, String extraFirst, String extraRest, boolean digitFirst, int maxLength, String rule) {

    static final Syntax KEY = new Syntax("key", "", "._-", true, 100,
            "1 to 100 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit");
    static final Syntax TAG = new Syntax("tag", "", ":._/-", true, 64,
            "1 to 64 ASCII letters, digits, ':', '.', '_', '/' or '-', starting with a letter or digit");
    static final Syntax ATTRIBUTE = new Syntax("attribute name", "_", "_.-", false, 100,
            "1 to 100 ASCII letters, digits, '_', '.' or '-', starting with a letter or '_'");
    static final Syntax RULE_ID = new Syntax("rule id", "._-", "._-", true, 100,
            "1 to 100 ASCII letters, digits, '.', '_' or '-'");

    /** What is wrong with {@code value}, or {@code null} if it follows this rule. */
    String problem(String value) {
        if (value.isEmpty()) {
            return "must not be empty; a " + what + " is " + rule;
        }
        if (value.length() > maxLength) {
            return "is " + value.length() + " characters long; a " + what + " is " + rule;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9' && (i > 0 || digitFirst);
            if (!letter && !digit && (i == 0 ? extraFirst : extraRest).indexOf(c) < 0) {
                String where = i == 0 ? "starts with " : "contains ";
                return quote(value) + " is not a valid " + what + ": it " + where + describe(value.codePointAt(i))
                        + (i == 0 ? "" : " at index " + i) + "; a " + what + " is " + rule;
            }
        }
        return null;
    }

    /**
     * {@code value} in single quotes for a message: shortened to 60 characters, with invisible
     * characters and unpaired surrogates written as Java unicode escapes.
     */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder("'");
        int i = 0;
        while (i < value.length() && i < 60) {
            int codePoint = value.codePointAt(i);
            quoted.append(visible(codePoint) ? Character.toString(codePoint) : String.format("\\u%04x", codePoint));
            i += Character.charCount(codePoint);
        }
        return quoted.append(i < value.length() ? "…'" : "'").toString();
    }

    /** A character as people read it in a message: {@code 'x'}, or {@code U+0000} when invisible. */
    static String describe(int codePoint) {
        return visible(codePoint) ? "'" + Character.toString(codePoint) + "'" : String.format("U+%04X", codePoint);
    }

    private static boolean visible(int codePoint) {
        int type = Character.getType(codePoint);
        return codePoint == ' '
                || !(Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                        || type == Character.UNASSIGNED || type == Character.SURROGATE
                        || type == Character.FORMAT || type == Character.PRIVATE_USE);
    }
}
