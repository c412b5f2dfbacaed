package dev.darklaunch.server.http;

import dev.darklaunch.server.failures.Failure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.server.store.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a request body strictly: JSON only (415 otherwise), well-formed, no unknown fields, no NUL
 * characters or unpaired UTF-16 surrogates (PostgreSQL cannot store the one, UTF-8 cannot encode
 * the other, so either would be refused or silently altered later), bounded nesting. Every write
 * body may carry an optional {@code comment} that goes to the audit log. Nothing is written before
 * the body has passed all of this.
 */
public final class JsonBody {

    static final int MAX_COMMENT_LENGTH = 2000;

    /** A parsed body and the audit comment that came with it. */
    public record Body<T>(T value, Optional<String> comment) {
    }

    private JsonBody() {
    }

    /** A required body of the given shape. */
    public static <T> Body<T> read(RoutingContext ctx, Class<T> type) {
        JsonNode tree = tree(ctx).orElseThrow(() -> Failure.invalid("a JSON request body is required"));
        Optional<String> comment = takeComment(tree);
        return new Body<>(bind(tree, type), comment);
    }

    /** An optional body of the given shape; without a body, {@code absent} and no comment. */
    public static <T> Body<T> readOptional(RoutingContext ctx, Class<T> type, T absent) {
        Optional<JsonNode> tree = tree(ctx);
        if (tree.isEmpty()) {
            return new Body<>(absent, Optional.empty());
        }
        Optional<String> comment = takeComment(tree.get());
        return new Body<>(bind(tree.get(), type), comment);
    }

    /** An optional body that may only carry a comment (for actions such as turning a flag on). */
    public static Optional<String> commentOnly(RoutingContext ctx) {
        Optional<JsonNode> tree = tree(ctx);
        if (tree.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> comment = takeComment(tree.get());
        if (tree.get().size() > 0) {
            String field = tree.get().fieldNames().next();
            throw Failure.invalid(field, "unknown field '" + field + "'; this request accepts only 'comment'");
        }
        return comment;
    }

    private static Optional<JsonNode> tree(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return Optional.empty();
        }
        String contentType = ctx.request().getHeader("Content-Type");
        if (!isJson(contentType)) {
            throw ApiError.unsupportedMediaType("send the body as application/json"
                    + (contentType == null ? "" : ", not " + contentType));
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body.getBytes());
        } catch (StreamConstraintsException e) {
            throw Failure.invalid("the JSON body is nested too deeply or has too long a value");
        } catch (JsonProcessingException e) {
            throw Failure.invalid("the body is not valid JSON: " + JsonProblems.describe(e) + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw Failure.invalid("the body could not be read as JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            return Optional.empty();
        }
        if (!tree.isObject()) {
            throw Failure.invalid("the body must be a JSON object");
        }
        rejectUnstorableText(tree, "");
        return Optional.of(tree);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static Optional<String> takeComment(JsonNode tree) {
        JsonNode comment = ((ObjectNode) tree).remove("comment");
        if (comment == null || comment.isNull()) {
            return Optional.empty();
        }
        if (!comment.isTextual() || comment.textValue().length() > MAX_COMMENT_LENGTH) {
            throw Failure.invalid("comment", "comment must be text of at most " + MAX_COMMENT_LENGTH + " characters");
        }
        return comment.textValue().isBlank() ? Optional.empty() : Optional.of(comment.textValue().strip());
    }

    private static void rejectUnstorableText(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = textProblem(node.textValue());
            if (problem != null) {
                throw Failure.invalid(path.isEmpty() ? null : path, "text must not contain " + problem);
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String problem = textProblem(field.getKey());
                if (problem != null) {
                    throw Failure.invalid(visible(child), "field names must not contain " + problem);
                }
                rejectUnstorableText(field.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectUnstorableText(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** What makes text unstorable, or null: a NUL character or an unpaired UTF-16 surrogate. */
    private static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "NUL characters (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("unpaired UTF-16 surrogates (U+%04X), which are not valid Unicode", (int) c);
            }
        }
        return null;
    }

    /** A field path with control characters and lone surrogates escaped (backslash, u, four hex digits), for messages. */
    private static String visible(String path) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1));
            if (Character.isISOControl(c) || (Character.isSurrogate(c) && !pair)) {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
                if (pair) {
                    shown.append(path.charAt(++i));
                }
            }
        }
        return shown.toString();
    }

    /**
     * Binds a part of a larger document strictly, as a body is bound; a refusal names the field
     * under {@code at} (the part's path in the document, such as {@code flags[3]}).
     */
    public static <T> T bindAt(String at, JsonNode tree, Class<T> type) {
        try {
            return bind(tree, type);
        } catch (Failure.Invalid e) {
            throw Failure.invalid(e.field() == null || e.field().isEmpty() ? at : at + "." + e.field(), e.getMessage());
        }
    }

    static <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return Json.mapper().treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw Failure.invalid(path(e), "unknown field '" + e.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : "; known fields: " + known + ", comment"));
        } catch (InvalidFormatException e) {
            throw Failure.invalid(path(e), "'" + e.getValue() + "' is not allowed here"
                    + allowedValues(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw Failure.invalid(path(e), "expected " + describe(e.getTargetType()) + " here");
        } catch (JsonMappingException e) {
            InvalidModelException invalid = findCause(e, InvalidModelException.class);
            if (invalid != null) {
                throw Failure.invalid(invalid.field(), invalid.getMessage());
            }
            if (findCause(e, NumberFormatException.class) != null) {
                // such as 1e999, which JSON parsers read as infinity
                throw Failure.invalid(path(e), "expected a finite number here");
            }
            // our own validation speaks through IllegalArgumentException; the JDK's subclasses and
            // messages naming Java types are not for the caller
            IllegalArgumentException illegal = findCause(e, IllegalArgumentException.class);
            String message = illegal != null && illegal.getClass() == IllegalArgumentException.class
                    && illegal.getMessage() != null && JsonProblems.isPlain(illegal.getMessage())
                    ? illegal.getMessage() : "a value is missing or has the wrong type";
            throw Failure.invalid(path(e), message);
        } catch (JsonProcessingException e) {
            throw Failure.invalid("the body could not be read: " + JsonProblems.describe(e));
        }
    }

    private static String allowedValues(Class<?> type) {
        if (type == null || !type.isEnum()) {
            return "";
        }
        return "; allowed: " + Arrays.stream(type.getEnumConstants())
                .map(c -> Json.mapper().convertValue(c, String.class))
                .filter(name -> !"unknown".equalsIgnoreCase(name))
                .collect(Collectors.joining(", "));
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of the names" + allowedValues(type).replaceFirst("^; allowed:", ":");
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? null : path.toString();
    }

    private static <E extends Throwable> E findCause(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
