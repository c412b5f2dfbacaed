package dev.darklaunch.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OFREP protocol document ({@code shared/ofrep/openapi.yaml}, copied unchanged from OpenFeature)
 * as a response validator: the status must be one the operation documents, and a documented body
 * must validate against its JSON schema (OpenAPI 3.1 schemas are JSON Schema 2020-12), checked by
 * networknt's json-schema-validator, not by hand.
 */
public final class OfrepSpec {

    private static final String DOCUMENT_IRI = "https://ofrep.test/openapi.json";

    private final JsonNode document;
    private final JsonSchemaFactory factory;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OfrepSpec(JsonNode document) {
        this.document = document;
        String json = document.toString();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, json))));
    }

    /** The protocol's document with {@link #corrected its two schema defects} corrected. */
    public static OfrepSpec load() {
        return new OfrepSpec(corrected(asWritten()));
    }

    /** The protocol's document exactly as written. */
    public static OfrepSpec loadAsWritten() {
        return new OfrepSpec(asWritten());
    }

    private static JsonNode asWritten() {
        try {
            return new YAMLMapper().readTree(directory().resolve("openapi.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The document as its authors mean it. Read literally, {@code evaluationSuccess}'s
     * {@code oneOf} can match no answer that has a value: {@code codeDefaultFlag} (an object with
     * no constraints) matches every answer besides its typed schema, and an integer matches both
     * {@code integerFlag} and {@code floatFlag}; "exactly one" then fails for every value. ADR 0006
     * says a code-default answer is one without a value, and JSON numbers are integers or not: the
     * two {@code not}s below say exactly that and nothing more. {@code OfrepContractIT} shows the
     * literal document refusing a correct answer, and the corrected one still refusing wrong ones.
     */
    static JsonNode corrected(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        ObjectNode schemas = (ObjectNode) copy.path("components").path("schemas");
        ((ObjectNode) schemas.path("codeDefaultFlag")).set("not", new YAMLMapper().createObjectNode()
                .set("required", new YAMLMapper().createArrayNode().add("value")));
        ObjectNode integerValue = new YAMLMapper().createObjectNode();
        integerValue.putObject("properties").putObject("value").put("type", "integer");
        ((ObjectNode) schemas.path("floatFlag")).set("not", integerValue);
        return copy;
    }

    /**
     * The protocol's directory: {@code shared/ofrep} beside the project or any directory above it
     * (a worktree, a CI clone), else {@code /work/shared/ofrep}.
     */
    public static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("ofrep");
            if (Files.isRegularFile(candidate.resolve("openapi.yaml"))) {
                return candidate;
            }
        }
        return Path.of("/work/shared/ofrep");
    }

    /** The document as read (for tests that inspect it). */
    public JsonNode document() {
        return document;
    }

    /**
     * What is wrong with a response to {@code method path} by the protocol; empty when nothing.
     *
     * @param path the path as the document writes it, such as {@code /ofrep/v1/evaluate/flags/{key}}
     */
    public List<String> problems(String method, String path, Http.Response response) {
        List<String> problems = new ArrayList<>();
        JsonNode operation = document.path("paths").path(path).path(method.toLowerCase());
        if (operation.isMissingNode()) {
            return List.of("the protocol has no operation " + method + " " + path);
        }
        JsonNode documented = operation.path("responses").path(String.valueOf(response.status()));
        if (documented.isMissingNode()) {
            return List.of("the protocol documents no status " + response.status() + " for " + method + " " + path
                    + " (it has " + operation.path("responses").properties().stream().map(Map.Entry::getKey).toList() + ")");
        }
        documented.path("headers").properties().forEach(header -> {
            if (response.header(header.getKey()).isEmpty()) {
                problems.add("header " + header.getKey() + " is missing");
            }
        });
        JsonNode schema = documented.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            if (response.status() == 304 && !response.text().isEmpty()) {
                problems.add("a 304 has no body");
            }
            return problems;
        }
        if (!response.header("Content-Type").orElse("").startsWith("application/json")) {
            problems.add("Content-Type is " + response.header("Content-Type").orElse("missing") + ", not application/json");
        }
        String ref = schema.path("$ref").asText();
        if (!ref.startsWith("#/")) {
            problems.add("the protocol's schema for " + response.status() + " is not a reference; cannot validate");
            return problems;
        }
        JsonSchema validator = schemas.computeIfAbsent(ref, r -> factory.getSchema(SchemaLocation.of(DOCUMENT_IRI + r),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build()));
        Set<ValidationMessage> messages = validator.validate(response.text(), InputFormat.JSON);
        messages.forEach(message -> problems.add(message.toString()));
        return problems;
    }

    /** What is wrong with an answer body by a schema of the document, such as {@code #/components/schemas/evaluationSuccess}. */
    public List<String> problems(String schemaRef, String json) {
        JsonSchema validator = schemas.computeIfAbsent(schemaRef, r -> factory.getSchema(SchemaLocation.of(DOCUMENT_IRI + r),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build()));
        return validator.validate(json, InputFormat.JSON).stream().map(ValidationMessage::toString).toList();
    }
}
