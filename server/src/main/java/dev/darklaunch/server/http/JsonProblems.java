package dev.darklaunch.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What is wrong with a JSON text, in the caller's words. Jackson's messages say it well in their
 * first clause ("Unexpected character ('}' (code 125)): was expecting double-quote to start field
 * name") but go on about its own types, features and internal source references
 * ({@code `com.fasterxml.jackson.databind.JsonNode`}, {@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS});
 * those parts are cut, and the common mistakes get a sentence of their own.
 */
final class JsonProblems {

    /** Where Jackson's message turns from the caller's text to its own workings. */
    private static final List<String> JACKSON_TALK = List.of(" (for ", " (start marker", " (bound as", " (through reference",
            "[Source", "`", "Feature", " at [");
    /** Names of Java packages, types and exceptions, which mean nothing to a caller. */
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "\\b(?:java|javax|com\\.fasterxml|io\\.vertx|io\\.netty|dev\\.darklaunch)\\.\\w|`|\\w+(?:Exception|Error)\\b");

    private JsonProblems() {
    }

    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
            return "it ends before its objects, lists or texts are closed";
        }
        if (message.startsWith("Trailing token")) {
            return "more follows the JSON value; send exactly one JSON object";
        }
        if (message.contains("ALLOW_COMMENTS")) {
            return "JSON has no comments";
        }
        if (message.contains("NON_NUMERIC_NUMBERS")) {
            return "NaN and Infinity are not JSON numbers";
        }
        if (message.contains("ALLOW_SINGLE_QUOTES")) {
            return "JSON texts and names take double quotes, not single ones";
        }
        if (message.contains("ALLOW_UNQUOTED_FIELD_NAMES")) {
            return "names in JSON objects take double quotes";
        }
        String cut = message;
        for (String marker : JACKSON_TALK) {
            int at = cut.indexOf(marker);
            if (at >= 0) {
                cut = cut.substring(0, at);
            }
        }
        cut = cut.replaceAll("[\\s:;,(]+$", "");
        return cut.isBlank() || !isPlain(cut) ? "it could not be read as JSON" : cut;
    }

    /** Whether a message speaks without Java's names in it. */
    static boolean isPlain(String message) {
        return !JAVA_NAMES.matcher(message).find();
    }
}
