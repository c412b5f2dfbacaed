package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.darklaunch.server.ops.ApiDocument;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the OpenAPI document and the server in step: the document served at
 * {@code /api/v1/openapi.yaml} is the one in the repository, it describes exactly the routes the
 * server has, and it is structurally sound (references resolve, path parameters are declared,
 * every operation has an id and a success response).
 */
@DarklaunchServerTest
class ApiDocumentIT {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");

    @Given
    private static TestServer server;
    private static Http.Response served;
    private static JsonNode document;

    @BeforeAll
    static void start() throws IOException {
        served = server.admin().as(null).get("/api/v1/openapi.yaml");
        assertThat(served.status()).as("GET /api/v1/openapi.yaml without a token: %s", served).isEqualTo(200);
        document = YAML.readTree(served.text());
    }

    @Test
    void serves_the_document_from_the_server_jar() throws IOException {
        String classpath = classpathDocument();

        assertThat(served.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(document).as("the served document, parsed").isEqualTo(YAML.readTree(classpath));
        assertThat(served.text()).as("the served document, byte for byte").isEqualTo(classpath);
    }

    @Test
    void documents_exactly_the_routes_the_server_has() {
        Set<String> routed = new TreeSet<>(server.server().routes());
        Set<String> documented = new TreeSet<>(operations().keySet());
        Set<String> undocumented = new TreeSet<>(routed);
        undocumented.removeAll(documented);
        Set<String> notRouted = new TreeSet<>(documented);
        notRouted.removeAll(routed);

        assertThat(routed).as("the server lists its routes").isNotEmpty();
        assertThat(documented)
                .as("openapi.yaml must describe every route and only those.%n  routed but not documented: %s"
                        + "%n  documented but not routed: %s", undocumented, notRouted)
                .containsExactlyInAnyOrderElementsOf(routed);
    }

    @Test
    void is_an_openapi_3_document() {
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("info").path("title").asText()).isNotBlank();
        assertThat(document.path("info").path("version").asText()).isNotBlank();
        assertThat(document.path("paths").isObject()).as("paths is an object").isTrue();
    }

    @Test
    void every_reference_resolves_to_a_component() {
        List<String> problems = new ArrayList<>();
        walk(document, "", (pointer, node) -> {
            JsonNode ref = node.get("$ref");
            if (ref == null) {
                return;
            }
            if (!ref.isTextual() || !ref.asText().startsWith("#/components/")) {
                problems.add(pointer + ": $ref " + ref + " does not point into #/components/");
            } else if (document.at(ref.asText().substring(1)).isMissingNode()) {
                problems.add(pointer + ": $ref " + ref.asText() + " does not resolve");
            }
        });

        assertThat(problems).as("unresolved references").isEmpty();
    }

    @Test
    void every_path_parameter_is_declared() {
        List<String> problems = new ArrayList<>();
        operations().forEach((route, operation) -> {
            String path = route.substring(route.indexOf(' ') + 1);
            JsonNode pathItem = document.path("paths").path(path);
            Set<String> inTemplate = new LinkedHashSet<>();
            Matcher matcher = TEMPLATE_PARAMETER.matcher(path);
            while (matcher.find()) {
                inTemplate.add(matcher.group(1));
            }
            Set<String> declared = new LinkedHashSet<>();
            for (JsonNode parameters : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
                for (JsonNode parameter : parameters) {
                    JsonNode resolved = resolve(parameter);
                    if ("path".equals(resolved.path("in").asText())) {
                        declared.add(resolved.path("name").asText());
                        if (!resolved.path("required").asBoolean()) {
                            problems.add(route + ": path parameter '" + resolved.path("name").asText() + "' must be required");
                        }
                    }
                }
            }
            for (String name : inTemplate) {
                if (!declared.contains(name)) {
                    problems.add(route + ": path parameter '" + name + "' is not declared");
                }
            }
            for (String name : declared) {
                if (!inTemplate.contains(name)) {
                    problems.add(route + ": declares path parameter '" + name + "' that is not in the path");
                }
            }
        });

        assertThat(problems).as("path parameters").isEmpty();
    }

    @Test
    void every_operation_has_an_id_and_a_success_response() {
        List<String> problems = new ArrayList<>();
        operations().forEach((route, operation) -> {
            if (operation.path("operationId").asText().isBlank()) {
                problems.add(route + ": no operationId");
            }
            boolean success = false;
            for (String status : (Iterable<String>) () -> operation.path("responses").fieldNames()) {
                success |= status.matches("2(\\d\\d|XX)");
            }
            if (!success) {
                problems.add(route + ": no 2xx response");
            }
        });

        assertThat(problems).as("operations").isEmpty();
    }

    @Test
    void operation_ids_are_unique() {
        Map<String, List<String>> routesById = new LinkedHashMap<>();
        operations().forEach((route, operation) ->
                routesById.computeIfAbsent(operation.path("operationId").asText(), id -> new ArrayList<>()).add(route));
        routesById.values().removeIf(routes -> routes.size() == 1);

        assertThat(routesById).as("operationIds used more than once").isEmpty();
    }

    /** The document says which routes are public; the server must agree (and refuse the rest without a token). */
    @Test
    void only_the_routes_documented_as_public_answer_without_a_token() {
        assertThat(document.path("security").path(0).has("bearerAuth")).as("bearer tokens by default").isTrue();
        assertThat(document.path("components").path("securitySchemes").path("bearerAuth").path("scheme").asText())
                .isEqualTo("bearer");
        Http anonymous = server.admin().as(null);
        List<String> problems = new ArrayList<>();
        operations().forEach((route, operation) -> {
            String method = route.substring(0, route.indexOf(' '));
            String path = TEMPLATE_PARAMETER.matcher(route.substring(route.indexOf(' ') + 1)).replaceAll("x");
            JsonNode security = operation.get("security");
            boolean documentedPublic = security != null && security.isArray() && security.isEmpty();
            int status = anonymous.send(method, path, null, null).status();
            if (documentedPublic == (status == 401)) {
                problems.add(route + (documentedPublic ? " is documented as public" : " is documented as needing a token")
                        + " but answers " + status + " without one");
            }
        });

        assertThat(problems).as("security of the documented operations").isEmpty();
    }

    /** Who may call an operation, by its {@code x-access}: the sentence its description says it with. */
    private static final Map<String, String> WHO_MAY_CALL = Map.ofEntries(Map.entry("ofrep",
            "SDK tokens, and client tokens for flags marked clientSide."),
            Map.entry("public", "Public."),
            Map.entry("admin", "Admin tokens and admin users only."),
            Map.entry("edit", "Admin tokens, and editor and admin users."),
            Map.entry("toggle", "Admin tokens, pipeline tokens of the project whose environments include this one, and editor and admin users."),
            Map.entry("read", "Admin tokens, pipeline tokens of the project, and every signed-in user."),
            Map.entry("list", "Admin and pipeline tokens, and every signed-in user."),
            Map.entry("me", "Admin and pipeline tokens, and every signed-in user."),
            Map.entry("user", "Signed-in users only; tokens have no password (403)."),
            Map.entry("session", "Signed-in users; a token gets 404, as it has no session."),
            Map.entry("sdk", "SDK tokens only."));
    /** Ways the document once said who may call an operation, some of them wrong. */
    private static final Pattern OTHER_CLAIMS = Pattern.compile(
            "(?i)admin tokens only|admin users and admin tokens only|pipeline tokens of the project\\.|for anyone who may");

    @Test
    void every_operation_says_who_may_call_it() {
        List<String> problems = new ArrayList<>();
        operations().forEach((route, operation) -> {
            String access = operation.path("x-access").asText();
            String description = operation.path("description").asText().replaceAll("\\s+", " ");
            if (!WHO_MAY_CALL.containsKey(access)) {
                problems.add(route + ": x-access '" + access + "' is not one of " + new TreeSet<>(WHO_MAY_CALL.keySet()));
                return;
            }
            if (!description.contains(WHO_MAY_CALL.get(access))) {
                problems.add(route + ": the description does not say '" + WHO_MAY_CALL.get(access) + "'");
            }
            WHO_MAY_CALL.values().stream().filter(other -> !other.equals(WHO_MAY_CALL.get(access)) && description.contains(other))
                    .forEach(other -> problems.add(route + " (" + access + ") also says '" + other + "'"));
            if (OTHER_CLAIMS.matcher(description).find()) {
                problems.add(route + ": the description says who may call it in other words: " + description);
            }
            JsonNode security = operation.get("security");
            boolean documentedPublic = security != null && security.isArray() && security.isEmpty();
            if (documentedPublic != access.equals("public")) {
                problems.add(route + ": x-access " + access + " but security " + security);
            }
        });

        assertThat(problems).as("who may call each operation").isEmpty();
    }

    /**
     * The access each operation documents is the one {@link AuthorizationIT} proves for it, route by
     * route and credential by credential (token kinds and user roles), and it proves one for every
     * operation that needs a credential.
     */
    @Test
    void the_documented_access_is_the_one_authorization_it_proves() {
        Map<String, JsonNode> operations = operations();
        Set<String> proven = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (AuthorizationIT.Route route : AuthorizationIT.routes()) {
            String path = route.path().replaceFirst("\\?.*", "");
            String documented = operations.keySet().stream()
                    .filter(operation -> operation.startsWith(route.method() + " ")
                            && path.matches(TEMPLATE_PARAMETER.matcher(operation.substring(operation.indexOf(' ') + 1))
                            .replaceAll("[^/]+")))
                    .min(java.util.Comparator.comparing(operation -> operation.contains("{")))
                    .orElse(null);
            if (documented == null) {
                problems.add(route + " is not documented");
                continue;
            }
            proven.add(documented);
            String access = operations.get(documented).path("x-access").asText();
            if (!access.equals(route.access().name().toLowerCase())) {
                problems.add(documented + " is documented as " + access + " but AuthorizationIT proves " + route.access());
            }
        }
        operations.forEach((route, operation) -> {
            if (!operation.path("x-access").asText().equals("public") && !proven.contains(route)) {
                problems.add(route + " has no row in AuthorizationIT's table");
            }
        });

        assertThat(problems).as("documented access against AuthorizationIT").isEmpty();
    }

    /** Every operation of the document by "METHOD /path/{param}". */
    private static Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            if (HTTP_METHODS.contains(entry.getKey())) {
                operations.put(entry.getKey().toUpperCase() + " " + path.getKey(), entry.getValue());
            }
        }));
        return operations;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current.has("$ref") && depth < 10; depth++) {
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    /** Visits every object node with its JSON pointer. */
    private static void walk(JsonNode node, String pointer, BiConsumer<String, JsonNode> visitor) {
        if (node.isObject()) {
            visitor.accept(pointer.isEmpty() ? "/" : pointer, node);
            node.fields().forEachRemaining(field ->
                    walk(field.getValue(), pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    private static String classpathDocument() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(ApiDocument.RESOURCE)) {
            assertThat(in).as(ApiDocument.RESOURCE + " on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
