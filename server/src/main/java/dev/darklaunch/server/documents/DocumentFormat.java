package dev.darklaunch.server.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.store.Json;
import org.yaml.snakeyaml.LoaderOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link ProjectDocument} in and out of YAML or JSON, with Jackson (its YAML dataformat, over
 * SnakeYAML, which builds plain trees: no Java types from tags). Reading is bounded — size,
 * nesting, aliases (no alias bombs), number of flags — and strict: unknown fields are refused,
 * and every refusal names its place in the document ({@code flags[3].environments.production.rules[0]}).
 */
final class DocumentFormat {

    static final int MAX_BYTES = 10 * 1024 * 1024;
    static final int MAX_FLAGS = 10_000;
    static final int MAX_SEGMENTS = 10_000;
    private static final int MAX_NESTING = 100;
    private static final int MAX_ALIASES = 50;

    private static final YAMLMapper YAML = yaml();
    private static final ObjectMapper JSON = Json.mapper();

    private DocumentFormat() {
    }

    private static YAMLMapper yaml() {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(MAX_ALIASES);
        loader.setNestingDepthLimit(MAX_NESTING);
        loader.setCodePointLimit(MAX_BYTES);
        loader.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build();
        return new YAMLMapper(factory);
    }

    /** The document as YAML (or as JSON, pretty-printed), in UTF-8. */
    static byte[] write(ProjectDocument document, boolean asYaml) {
        ObjectNode tree = tree(document);
        try {
            return asYaml ? YAML.writeValueAsBytes(tree)
                    : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a document could not be written", e);
        }
    }

    static ObjectNode tree(ProjectDocument document) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode flags = root.putArray("flags");
        for (ProjectDocument.FlagEntry entry : document.flags()) {
            ObjectNode flag = JSON.valueToTree(entry.flag());
            ObjectNode environments = flag.putObject("environments");
            new TreeMap<>(entry.environments()).forEach((environment, config) -> environments.set(environment, JSON.valueToTree(config)));
            flags.add(flag);
        }
        ArrayNode segments = root.putArray("segments");
        for (ProjectDocument.SegmentEntry entry : document.segments()) {
            ObjectNode segment = JSON.valueToTree(entry.segment());
            ObjectNode environments = segment.putObject("environments");
            new TreeMap<>(entry.environments()).forEach((environment, config) -> environments.set(environment, JSON.valueToTree(config)));
            segments.add(segment);
        }
        return root;
    }

    /** Reads a document (YAML unless {@code asJson}); fails with {@link Failure.Invalid} or {@link Failure.TooLarge}. */
    static ProjectDocument read(byte[] bytes, boolean asJson) {
        if (bytes.length > MAX_BYTES) {
            throw Failure.tooLarge("a document may have at most " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = (asJson ? JSON : YAML).readTree(bytes);
        } catch (JsonProcessingException e) {
            throw Failure.invalid("the document is not well-formed " + (asJson ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage());
        } catch (java.io.IOException | RuntimeException e) { // SnakeYAML's limits (aliases, size) surface as unchecked errors
            throw Failure.invalid("the document could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw Failure.invalid("the document must be a mapping with 'flags' and 'segments'");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("flags") && !name.equals("segments")) {
                throw Failure.invalid(name, "unknown field '" + name + "'; a document has 'flags' and 'segments'");
            }
        }
        JsonNode flagNodes = list(root, "flags", MAX_FLAGS);
        JsonNode segmentNodes = list(root, "segments", MAX_SEGMENTS);
        List<ProjectDocument.FlagEntry> flags = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < flagNodes.size(); i++) {
            String at = "flags[" + i + "]";
            ObjectNode node = entry(flagNodes.get(i), at);
            JsonNode environments = node.remove("environments");
            Flag flag = JsonBody.bindAt(at, node, Flag.class);
            if (!keys.add(flag.key())) {
                throw Failure.invalid(at + ".key", "flag '" + flag.key() + "' is listed twice");
            }
            flags.add(new ProjectDocument.FlagEntry(flag, configs(environments, at, FlagConfig.class)));
        }
        keys.clear();
        List<ProjectDocument.SegmentEntry> segments = new ArrayList<>();
        for (int i = 0; i < segmentNodes.size(); i++) {
            String at = "segments[" + i + "]";
            ObjectNode node = entry(segmentNodes.get(i), at);
            JsonNode environments = node.remove("environments");
            Segment segment = JsonBody.bindAt(at, node, Segment.class);
            if (!keys.add(segment.key())) {
                throw Failure.invalid(at + ".key", "segment '" + segment.key() + "' is listed twice");
            }
            segments.add(new ProjectDocument.SegmentEntry(segment, configs(environments, at, SegmentConfig.class)));
        }
        return new ProjectDocument(flags, segments);
    }

    private static JsonNode list(JsonNode root, String field, int max) {
        JsonNode list = root.get(field);
        if (list == null || list.isNull()) {
            return JSON.createArrayNode();
        }
        if (!list.isArray()) {
            throw Failure.invalid(field, "'" + field + "' must be a list");
        }
        if (list.size() > max) {
            throw Failure.tooLarge("a document may list at most " + max + " " + field + " (this one lists " + list.size() + ")");
        }
        return list;
    }

    private static ObjectNode entry(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw Failure.invalid(at, "each entry must be a mapping");
        }
        return (ObjectNode) node;
    }

    private static <T> Map<String, T> configs(JsonNode environments, String at, Class<T> type) {
        Map<String, T> configs = new TreeMap<>();
        if (environments == null || environments.isNull()) {
            return configs;
        }
        if (!environments.isObject()) {
            throw Failure.invalid(at + ".environments", "'environments' must map environment keys to configurations");
        }
        environments.fields().forEachRemaining(e -> configs.put(e.getKey(),
                JsonBody.bindAt(at + ".environments." + e.getKey(), e.getValue(), type)));
        return configs;
    }
}
