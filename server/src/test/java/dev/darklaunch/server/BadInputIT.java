package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md scenario 19 — bodies: oversized (413), wrong content type (415), invalid JSON,
 * unknown fields, NUL bytes, huge arrays, deep nesting, negative or huge paging values → 400 with a
 * clear message; never a 500 and never a partial write.
 *
 * <p>Every refused request is checked the same way ({@link #assertRefused}): the expected status,
 * an {@code {error, message, field?}} JSON body, and nothing written — the audit log has as many
 * events as before, and every resource the write routes touch reads back exactly as before. The
 * last test then shows the server still takes a well-formed write on every route.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DarklaunchServerTest
class BadInputIT {

    private static final String PROJECT = "/api/v1/projects/default";
    private static final String FLAG = PROJECT + "/flags/bad-input";
    private static final String CONFIG = FLAG + "/environments/production";
    private static final String SEGMENT = PROJECT + "/segments/bad-seg";
    private static final String SEGMENT_CONFIG = SEGMENT + "/environments/production";
    /** The fixture user: the first start created user 1 (admin), so the first user added is 2. */
    private static final String USER = "/api/v1/users/2";
    private static final int ONE_MIB = 1024 * 1024;

    private static final String FLAG_BODY = """
            {"key":"bad-input","name":"Bad input","kind":"boolean","variations":[{"value":true},{"value":false}]}""";
    private static final String CONFIG_BODY = """
            {"on":true,"offVariation":1,"fallthrough":{"variation":0},"rules":[{"clauses":[{"attribute":"country","op":"in","values":["NO"]}],"serve":{"variation":0}}]}""";

    @Given
    private static TestServer server;
    @Given
    private static Http http;

    /** A write route and a body it accepts, so that each bad request differs from a good one in one way only. */
    record Route(String method, String path, String validBody) {

        ObjectNode valid() {
            return (ObjectNode) read(validBody);
        }

        /** The valid body with one more (or one replaced) field. */
        String with(String field, JsonNode value) {
            return write(valid().set(field, value));
        }

        /**
         * The valid body with a first field written as raw JSON text, for what Jackson will not write
         * (unpaired surrogates, NaN, 2 000 levels of nesting): {@code rawName} goes between the quotes as is.
         */
        String withRaw(String rawName, String rawJson) {
            return "{\"" + rawName + "\":" + rawJson + "," + validBody.strip().substring(1);
        }

        boolean takesIfMatch() {
            return !path.equals("/api/v1/tokens") && !path.equals("/api/v1/projects") && !path.equals("/api/v1/users")
                    && !path.contains("/deployments")
                    && !(method.equals("POST") && (path.endsWith("/flags") || path.endsWith("/segments") || path.endsWith("/environments")));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * Every write route that takes a body. The order matters for the last test only: PUT config
     * switches the flag on, then off and on go through, each a real change.
     */
    static final List<Route> ROUTES = List.of(
            new Route("POST", "/api/v1/projects", """
                    {"key":"healthy-project","name":"Healthy project"}"""),
            new Route("PUT", PROJECT, """
                    {"name":"Default project"}"""),
            new Route("POST", PROJECT + "/environments", """
                    {"key":"qa","name":"QA"}"""),
            new Route("PUT", PROJECT + "/environments/staging", """
                    {"name":"Staging","production":false}"""),
            new Route("POST", PROJECT + "/flags", """
                    {"key":"new-checkout","name":"New checkout","kind":"boolean","variations":[{"value":true},{"value":false}]}"""),
            new Route("PUT", FLAG, """
                    {"key":"bad-input","name":"Bad input","kind":"boolean","variations":[{"value":true},{"value":false}],"tags":["reliability"]}"""),
            new Route("PUT", CONFIG, CONFIG_BODY),
            new Route("POST", CONFIG + "/off", """
                    {"comment":"switch off"}"""),
            new Route("POST", CONFIG + "/on", """
                    {"comment":"switch on"}"""),
            new Route("POST", PROJECT + "/segments", """
                    {"key":"beta-testers","name":"Beta testers"}"""),
            new Route("PUT", SEGMENT, """
                    {"key":"bad-seg","name":"Bad segment","description":"for bad input"}"""),
            new Route("PUT", SEGMENT_CONFIG, """
                    {"included":["user-1"],"excluded":["user-2"],"rules":[{"clauses":[{"attribute":"country","op":"in","values":["SE"]}]}]}"""),
            new Route("POST", PROJECT + "/deployments", """
                    {"service":"checkout","version":"1.4.2","environment":"production","flags":["bad-input"]}"""),
            new Route("PATCH", PROJECT + "/deployments/1", """
                    {"status":"succeeded"}"""),
            new Route("POST", PROJECT + "/deployments/1/release", """
                    {"steps":[{"percentage":10},{"percentage":100,"after":"PT1H"}]}"""),
            new Route("POST", "/api/v1/tokens", """
                    {"name":"ci pipeline","kind":"pipeline","project":"default","environments":["production"]}"""),
            new Route("POST", "/api/v1/users", """
                    {"email":"healthy@example.com","password":"a healthy password","role":"viewer"}"""),
            new Route("PATCH", USER, """
                    {"role":"editor","password":"another healthy password"}"""));

    @BeforeAll
    static void startServerWithFixtures() {
        assertThat(http.post(PROJECT + "/flags", FLAG_BODY).status()).isEqualTo(201);
        assertThat(http.put(CONFIG, CONFIG_BODY.replace("\"on\":true", "\"on\":false")).status()).isEqualTo(200);
        assertThat(http.post(PROJECT + "/segments", "{\"key\":\"bad-seg\",\"name\":\"Bad segment\"}").status()).isEqualTo(201);
        assertThat(http.put(SEGMENT_CONFIG, "{\"included\":[\"user-9\"]}").status()).isEqualTo(200);
        assertThat(http.post(PROJECT + "/deployments", "{\"service\":\"s\",\"version\":\"1\",\"environment\":\"staging\"}")
                .status()).isEqualTo(201);
        assertThat(server.user("fixture@example.com", "a fixture password", "viewer")).isEqualTo(2);
    }

    static Stream<Route> routes() {
        return ROUTES.stream();
    }

    static Stream<Route> routesWithIfMatch() {
        return ROUTES.stream().filter(Route::takesIfMatch);
    }

    // ---------------------------------------------------------------- 413

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    @DisplayName("19: a body over 1 MiB (with Content-Length) → 413 payload_too_large, nothing written")
    void oversized_body_is_refused(Route route) {
        byte[] body = oversized(route);
        JsonNode error = assertRefused(413, () -> http.send(route.method(), route.path(), body, "application/json"));
        assertThat(error.get("error").asText()).isEqualTo("payload_too_large");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    @DisplayName("19: a body over 1 MiB sent chunked (no Content-Length) → 413 payload_too_large, nothing written")
    void oversized_chunked_body_is_refused(Route route) {
        byte[] body = oversized(route);
        JsonNode error = assertRefused(413, () -> sendChunked(route, body));
        assertThat(error.get("error").asText()).isEqualTo("payload_too_large");
    }

    /** The valid body with a comment that takes it just past the limit: only the size is wrong. */
    private static byte[] oversized(Route route) {
        return route.with("comment", TextNode.valueOf("x".repeat(ONE_MIB))).getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- 415

    static Stream<Arguments> wrongContentTypes() {
        return ROUTES.stream().flatMap(route -> Stream.of(
                Arguments.of(route, "text/plain", route.validBody()),
                Arguments.of(route, "application/xml", "<flag key=\"x\"/>"),
                Arguments.of(route, "application/x-www-form-urlencoded", "comment=hello&key=x"),
                Arguments.of(route, "application/x-www-form-urlencoded", "%zz=%%&key"),
                Arguments.of(route, "multipart/form-data; boundary=xyz",
                        "--xyz\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nhello\r\n--xyz--\r\n"),
                Arguments.of(route, "multipart/form-data", "no boundary at all"),
                Arguments.of(route, null, route.validBody())));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("wrongContentTypes")
    @DisplayName("19: a body with a wrong or missing Content-Type (text, XML, forms) → 415, nothing written")
    void wrong_content_type_is_refused(Route route, String contentType, String body) {
        JsonNode error = assertRefused(415, () -> http.send(route.method(), route.path(), body, contentType));
        assertThat(error.get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(error.get("message").asText()).contains("application/json");
    }

    // ---------------------------------------------------------------- invalid JSON

    static Stream<Arguments> invalidJson() {
        return ROUTES.stream().flatMap(route -> {
            String valid = route.validBody();
            return Stream.of(
                    Arguments.of(route, Named.of("truncated", valid.substring(0, valid.length() - 3).getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("trailing garbage", (valid + " xyz").getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("a second document", (valid + " {}").getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("single quotes", valid.replace('"', '\'').getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("unquoted names", valid.replace("\"", "").getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("trailing comma", valid.replaceFirst("}$", ",}").getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("a comment", ("/* c */ " + valid).getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("NaN", route.withRaw("comment", "NaN").getBytes(StandardCharsets.UTF_8))),
                    Arguments.of(route, Named.of("invalid UTF-8", invalidUtf8(valid))));
        });
    }

    private static byte[] invalidUtf8(String valid) {
        byte[] prefix = "{\"comment\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] rest = ("\"," + valid.substring(1)).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 2 + rest.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        body[prefix.length + 1] = (byte) 0x28;
        System.arraycopy(rest, 0, body, prefix.length + 2, rest.length);
        return body;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidJson")
    @DisplayName("19: invalid JSON (truncated, trailing garbage, single quotes, …) → 400 with a message about JSON, nothing written")
    void invalid_json_is_refused(Route route, byte[] body) {
        JsonNode error = assertRefused(400, () -> http.send(route.method(), route.path(), body, "application/json"));
        assertThat(error.get("message").asText()).containsIgnoringCase("JSON");
    }

    // ---------------------------------------------------------------- not an object

    static Stream<Arguments> notObjects() {
        return ROUTES.stream().flatMap(route -> Stream.of("[]", "[" + route.validBody() + "]", "\"text\"", "42", "-1.5e3", "true", "null")
                .map(body -> Arguments.of(route, body)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("notObjects")
    @DisplayName("19: JSON that is not an object (array, string, number, boolean, null) → 400, nothing written")
    void json_that_is_not_an_object_is_refused(Route route, String body) {
        JsonNode error = assertRefused(400, () -> http.send(route.method(), route.path(), body, "application/json"));
        assertThat(error.get("message").asText()).contains("JSON object");
    }

    // ---------------------------------------------------------------- unknown fields

    static Stream<Arguments> unknownFields() {
        Stream<Arguments> topLevel = ROUTES.stream().map(route ->
                Arguments.of(route, route.with("bogusField", IntNode.valueOf(1)), "bogusField"));
        Stream<Arguments> nested = Stream.of(
                Arguments.of(route("PUT", CONFIG), CONFIG_BODY.replace("\"fallthrough\":{\"variation\":0}", "\"fallthrough\":{\"variation\":0,\"bogusField\":1}"),
                        "fallthrough.bogusField"),
                Arguments.of(route("PUT", CONFIG), CONFIG_BODY.replace("\"op\":\"in\"", "\"op\":\"in\",\"bogusField\":1"),
                        "rules[0].clauses[0].bogusField"),
                Arguments.of(route("POST", PROJECT + "/flags"), route("POST", PROJECT + "/flags").validBody()
                        .replace("{\"value\":false}", "{\"value\":false,\"bogusField\":1}"), "variations[1].bogusField"),
                Arguments.of(route("PUT", SEGMENT_CONFIG), route("PUT", SEGMENT_CONFIG).validBody()
                        .replace("\"values\":[\"SE\"]", "\"values\":[\"SE\"],\"bogusField\":1"), "rules[0].clauses[0].bogusField"),
                Arguments.of(route("POST", "/api/v1/projects"), """
                        {"key":"p","name":"P","environments":[{"key":"dev","bogusField":1}]}""", "environments[0].bogusField"));
        return Stream.concat(topLevel, nested);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("unknownFields")
    @DisplayName("19: unknown fields → 400 with field naming the unknown field, nothing written")
    void unknown_fields_are_refused(Route route, String body, String field) {
        JsonNode error = assertRefused(400, () -> http.send(route.method(), route.path(), body, "application/json"));
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).contains("bogusField");
    }

    // ---------------------------------------------------------------- NUL and other unstorable text

    static Stream<Arguments> unstorableText() {
        Stream<Arguments> everywhere = ROUTES.stream().flatMap(route -> Stream.of(
                Arguments.of(route, Named.of("NUL in a value", route.with("comment", TextNode.valueOf("before\u0000after")))),
                Arguments.of(route, Named.of("NUL in a field name", route.with("bo\u0000gus", IntNode.valueOf(1)))),
                Arguments.of(route, Named.of("NUL alone", route.with("comment", TextNode.valueOf("\u0000")))),
                Arguments.of(route, Named.of("unpaired surrogate in a value", route.withRaw("note", "\"a\\ud800b\""))),
                Arguments.of(route, Named.of("unpaired surrogate in a field name", route.withRaw("x\\udc00", "1")))));
        Stream<Arguments> inDomainFields = Stream.of(
                Arguments.of(route("PUT", CONFIG), Named.of("NUL in a clause value", CONFIG_BODY.replace("\"NO\"", "\"N\\u0000O\""))),
                Arguments.of(route("POST", PROJECT + "/flags"), Named.of("NUL in the name",
                        route("POST", PROJECT + "/flags").with("name", TextNode.valueOf("New\u0000checkout")))),
                Arguments.of(route("PUT", SEGMENT_CONFIG), Named.of("NUL in a member key", "{\"included\":[\"user\\u0000-1\"]}")),
                Arguments.of(route("POST", "/api/v1/tokens"), Named.of("NUL in the name",
                        route("POST", "/api/v1/tokens").with("name", TextNode.valueOf("ci\u0000")))),
                Arguments.of(route("POST", "/api/v1/projects"), Named.of("unpaired surrogate in the name (was stored as '?')",
                        "{\"key\":\"surrogate\",\"name\":\"a\\ud800b\"}")),
                Arguments.of(route("PUT", SEGMENT), Named.of("unpaired surrogate in the name (was stored as '?')",
                        "{\"key\":\"bad-seg\",\"name\":\"a\\udfffb\"}")));
        return Stream.concat(everywhere, inDomainFields);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unstorableText")
    @DisplayName("19: text containing NUL (in values and in field names) or unpaired surrogates → 400, nothing written")
    void unstorable_text_is_refused(Route route, String body) {
        JsonNode error = assertRefused(400, () -> http.send(route.method(), route.path(), body, "application/json"));
        assertThat(error.get("message").asText()).containsAnyOf("NUL", "surrogate");
    }

    // ---------------------------------------------------------------- deep nesting

    static Stream<Arguments> deepNesting() {
        Stream<Arguments> everywhere = ROUTES.stream().flatMap(route -> Stream.of(
                Arguments.of(route, Named.of("2 000 nested arrays", route.withRaw("comment", nested("[", "]", 2000)))),
                Arguments.of(route, Named.of("2 000 nested objects", route.withRaw("comment", nested("{\"a\":", "}", 2000) .replace("{\"a\":}", "{}"))))));
        Stream<Arguments> inAClause = Stream.of(Arguments.of(route("PUT", CONFIG), Named.of("2 000 nested arrays in a clause value",
                CONFIG_BODY.replace("[\"NO\"]", "[" + nested("[", "]", 2000) + "]"))));
        return Stream.concat(inAClause, everywhere);
    }

    private static String nested(String open, String close, int depth) {
        return open.repeat(depth) + close.repeat(depth);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("deepNesting")
    @DisplayName("19: deep nesting → 400 saying it is nested too deeply, nothing written")
    void deep_nesting_is_refused(Route route, String body) {
        JsonNode error = assertRefused(400, () -> http.send(route.method(), route.path(), body, "application/json"));
        assertThat(error.get("message").asText()).contains("nested too deeply");
    }

    // ---------------------------------------------------------------- huge arrays

    static Stream<Arguments> hugeArrays() {
        return Stream.of(
                Arguments.of(route("POST", PROJECT + "/flags"), Named.of("20 000 variations",
                        "{\"key\":\"many\",\"name\":\"Many\",\"kind\":\"number\",\"variations\":" + array(20_000, i -> "{\"value\":" + i + "}") + "}"),
                        "variations", "at most 100"),
                Arguments.of(route("PUT", FLAG), Named.of("20 000 variations",
                        "{\"key\":\"bad-input\",\"name\":\"Bad\",\"kind\":\"number\",\"variations\":" + array(20_000, i -> "{\"value\":" + i + "}") + "}"),
                        "variations", "at most 100"),
                Arguments.of(route("PUT", CONFIG), Named.of("200 000 target values",
                        "{\"offVariation\":1,\"fallthrough\":{\"variation\":0},\"targets\":[{\"variation\":0,\"values\":" + array(200_000, i -> "\"u\"") + "}]}"),
                        "targets", "at most 10000"),
                Arguments.of(route("PUT", CONFIG), Named.of("10 000 rules",
                        "{\"offVariation\":1,\"fallthrough\":{\"variation\":0},\"rules\":" + array(10_000, i -> "{\"serve\":{\"variation\":0}}") + "}"),
                        "rules", "at most 500"),
                Arguments.of(route("PUT", CONFIG), Named.of("100 000 values in one clause",
                        CONFIG_BODY.replace("[\"NO\"]", array(100_000, i -> "\"c" + i + "\""))),
                        "rules[0].clauses[0].values", "at most 10000"),
                Arguments.of(route("PUT", SEGMENT_CONFIG), Named.of("200 000 included keys",
                        "{\"included\":" + array(200_000, i -> "\"u\"") + "}"),
                        "included", "at most 10000"),
                Arguments.of(route("POST", "/api/v1/projects"), Named.of("20 000 environments",
                        "{\"key\":\"huge\",\"name\":\"Huge\",\"environments\":" + array(20_000, i -> "{\"key\":\"e" + i + "\"}") + "}"),
                        "environments", "1 to 50"),
                Arguments.of(route("POST", "/api/v1/tokens"), Named.of("100 000 environments",
                        "{\"name\":\"t\",\"kind\":\"pipeline\",\"project\":\"default\",\"environments\":" + array(100_000, i -> "\"e" + i + "\"") + "}"),
                        "environments", "no environment"));
    }

    private static String array(int size, java.util.function.IntFunction<String> element) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            json.append(i == 0 ? "" : ",").append(element.apply(i));
        }
        return json.append(']').toString();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hugeArrays")
    @DisplayName("19: huge arrays (still under 1 MiB) → 400 naming the list and its limit, nothing written")
    void huge_arrays_are_refused(Route route, String body, String field, String limit) {
        assertThat(body.length()).isLessThan(ONE_MIB);
        JsonNode error = assertRefused(400, () -> http.send(route.method(), route.path(), body, "application/json"));
        assertThat(error.path("field").asText()).startsWith(field);
        assertThat(error.get("message").asText()).contains(limit);
    }

    // ---------------------------------------------------------------- wrong types

    static Stream<Arguments> wrongTypes() {
        Route config = route("PUT", CONFIG);
        Route flags = route("POST", PROJECT + "/flags");
        return Stream.of(
                Arguments.of(config, "on", "\"yes\""),
                Arguments.of(config, "on", "1"),
                Arguments.of(config, "offVariation", "\"1\""),
                Arguments.of(config, "offVariation", "1.5"),
                Arguments.of(config, "offVariation", "99999999999999999999999"),
                Arguments.of(config, "rules", "{}"),
                Arguments.of(flags, "key", "42"),
                Arguments.of(flags, "kind", "true"),
                Arguments.of(flags, "variations", "\"true\""),
                Arguments.of(flags, "archived", "\"no\""),
                Arguments.of(route("PUT", FLAG), "key", "42"),
                Arguments.of(route("PUT", FLAG), "tags", "\"reliability\""),
                Arguments.of(route("POST", "/api/v1/projects"), "key", "42"),
                Arguments.of(route("POST", "/api/v1/projects"), "name", "[\"x\"]"),
                Arguments.of(route("PUT", PROJECT), "name", "42"),
                Arguments.of(route("POST", PROJECT + "/environments"), "key", "42"),
                Arguments.of(route("POST", PROJECT + "/environments"), "production", "\"yes\""),
                Arguments.of(route("PUT", PROJECT + "/environments/staging"), "production", "1"),
                Arguments.of(route("POST", PROJECT + "/segments"), "key", "42"),
                Arguments.of(route("PUT", SEGMENT), "name", "false"),
                Arguments.of(route("PUT", SEGMENT_CONFIG), "included", "\"user-1\""),
                Arguments.of(route("POST", "/api/v1/tokens"), "kind", "1"),
                Arguments.of(route("POST", "/api/v1/tokens"), "environments", "\"production\""),
                Arguments.of(route("POST", "/api/v1/users"), "email", "42"),
                Arguments.of(route("POST", "/api/v1/users"), "role", "\"owner\""),
                Arguments.of(route("POST", "/api/v1/users"), "role", "1"),
                Arguments.of(route("POST", "/api/v1/users"), "password", "[\"x\"]"),
                Arguments.of(route("PATCH", USER), "role", "true"),
                Arguments.of(route("PATCH", USER), "password", "\"short\""),
                Arguments.of(route("POST", CONFIG + "/on"), "comment", "42"),
                Arguments.of(route("POST", CONFIG + "/off"), "comment", "{\"text\":\"x\"}"));
    }

    static Stream<Arguments> extremePercentages() {
        return Stream.of("1e999999999", "1e2147483647", "-1e2147483647", "1e-2147483647", "1e-999999999", "100.0001",
                        "0", "-0.0", "1e400", "\"10\"")
                .map(value -> Arguments.of(value));
    }

    @ParameterizedTest(name = "percentage {0}")
    @MethodSource("extremePercentages")
    @DisplayName("6: a release percentage at the extremes of what JSON can write → 400 naming it, quickly, nothing written")
    void extreme_percentages_are_refused(String percentage) {
        String body = "{\"steps\":[{\"percentage\":" + percentage + "}]}";
        JsonNode error = assertRefused(400, () -> http.post(PROJECT + "/deployments/1/release", body));
        assertThat(error.path("field").asText()).isEqualTo("steps[0].percentage");
        assertThat(error.get("message").asText()).hasSizeLessThan(300);
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @MethodSource("wrongTypes")
    @DisplayName("19: a value of the wrong type (string for on, number for key, …) → 400 with field naming it, nothing written")
    void wrong_types_are_refused(Route route, String field, String rawValue) {
        ObjectNode body = route.valid();
        body.set(field, read(rawValue));
        JsonNode error = assertRefused(400, () -> http.send(route.method(), route.path(), write(body), "application/json"));
        assertThat(error.path("field").asText()).isEqualTo(field);
    }

    /** One value of every JSON type (and numbers beyond int, long and double), to put where another type belongs. */
    private static final List<JsonNode> VALUES_OF_EVERY_TYPE = List.of(TextNode.valueOf("text"), IntNode.valueOf(42),
            read("1.5"), read("99999999999999999999999"), DecimalNode.valueOf(new BigDecimal("1e400")),
            DecimalNode.valueOf(new BigDecimal("-1e-999999999")), read("true"), read("[]"), read("{}"), read("[{}]"));

    /**
     * Every field and list element of every route's valid body, replaced by each value of another
     * JSON type: {@code [route, JSON pointer, value, body]}.
     */
    static Stream<Arguments> wrongTypesEverywhere() {
        List<Arguments> cases = new ArrayList<>();
        for (Route route : ROUTES) {
            List<String> pointers = new ArrayList<>();
            pointers(route.valid(), "", pointers);
            for (String pointer : pointers) {
                if (pointer.matches(".*/clauses/\\d+/values/\\d+")) {
                    continue; // a clause compares with values of any JSON type (numbers, booleans, text)
                }
                JsonNode original = route.valid().at(pointer);
                for (JsonNode value : VALUES_OF_EVERY_TYPE) {
                    if (value.getNodeType() == original.getNodeType() && !value.isNumber()) {
                        continue;
                    }
                    if (value.isNumber() && original.isNumber() && value.canConvertToInt() && original.canConvertToInt()) {
                        continue; // the same type
                    }
                    ObjectNode body = route.valid();
                    String parent = pointer.substring(0, pointer.lastIndexOf('/'));
                    String last = pointer.substring(pointer.lastIndexOf('/') + 1);
                    JsonNode container = parent.isEmpty() ? body : body.at(parent);
                    if (container.isArray()) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) container).set(Integer.parseInt(last), value);
                    } else {
                        ((ObjectNode) container).set(last, value);
                    }
                    cases.add(Arguments.of(route, pointer, value.toString(), write(body)));
                }
            }
        }
        return cases.stream();
    }

    private static void pointers(JsonNode node, String at, List<String> into) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                into.add(at + "/" + name);
                pointers(node.get(name), at + "/" + name, into);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                into.add(at + "/" + i);
                pointers(node.get(i), at + "/" + i, into);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @MethodSource("wrongTypesEverywhere")
    @DisplayName("19: any field or element of any write route given a value of another type → 400 in the caller's words, nothing written")
    void a_wrong_type_anywhere_is_refused_in_the_callers_words(Route route, String pointer, String value, String body) {
        assertRefused(400, () -> http.send(route.method(), route.path(), body, "application/json"));
    }

    // ---------------------------------------------------------------- paging

    static Stream<Arguments> badPaging() {
        List<String> lists = List.of(PROJECT + "/flags", "/api/v1/audit", PROJECT + "/audit");
        List<String> limits = List.of("0", "-1", "-2147483648", "501", "2147483648", "99999999999999999999", "abc", "1.5", "1e2", "0x10");
        List<String> cursors = List.of("!!!", "zzzz", "AAAA", "Pz8_", "MQ==", "eyJ4IjoxfQ", "LTU", "a".repeat(400), "\u0000", "%00", " ");
        List<Arguments> cases = new ArrayList<>();
        for (String list : lists) {
            limits.forEach(limit -> cases.add(Arguments.of(list, "limit", limit)));
            cursors.forEach(cursor -> cases.add(Arguments.of(list, "cursor", cursor)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "GET {0}?{1}={2}")
    @MethodSource("badPaging")
    @DisplayName("19: negative, zero, huge or non-numeric limit and garbage cursor → 400 naming the parameter")
    void bad_paging_is_refused(String list, String parameter, String value) {
        String path = list + "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        JsonNode error = assertRefused(400, () -> http.get(path));
        assertThat(error.path("field").asText()).isEqualTo(parameter);
        assertThat(error.get("message").asText()).contains(parameter);
    }

    @Test
    @DisplayName("19 (control): the cursors the server hands out still page through flags and the audit log")
    void real_cursors_still_work() {
        if (http.get(PROJECT + "/flags/paging-flag").status() == 404) {
            assertThat(http.post(PROJECT + "/flags", FLAG_BODY.replace("bad-input", "paging-flag")).status()).isEqualTo(201);
        }
        for (String list : List.of(PROJECT + "/flags", "/api/v1/audit", PROJECT + "/audit")) {
            Http.Response first = http.get(list + "?limit=1");
            assertThat(first.status()).as("first page of %s", list).isEqualTo(200);
            String next = first.json().path("next").asText(null);
            assertThat(next).as("a next cursor for %s", list).isNotNull();
            Http.Response second = http.get(list + "?limit=1&cursor=" + next);
            assertThat(second.status()).as("second page of %s: %s", list, second).isEqualTo(200);
            assertThat(second.json().get("items")).hasSize(1);
            assertThat(second.json().get("items").get(0)).isNotEqualTo(first.json().get("items").get(0));
        }
    }

    // ---------------------------------------------------------------- times

    /** Times Java parses but PostgreSQL cannot store, or stores as ±infinity; and the edges of the accepted range. */
    static final List<String> TIMES_OUT_OF_RANGE = List.of("+294277-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
            "-4714-11-24T00:00:00Z", "-999999999-01-01T00:00:00Z", "+294276-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
            "0000-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00");

    static Stream<Arguments> timesInQueries() {
        List<String> lists = List.of(PROJECT + "/deployments", "/api/v1/audit", PROJECT + "/audit",
                PROJECT + "/environments/production/timeline");
        List<Arguments> cases = new ArrayList<>();
        for (String list : lists) {
            for (String parameter : List.of("since", "until")) {
                TIMES_OUT_OF_RANGE.forEach(time -> cases.add(Arguments.of(list, parameter, time)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "GET {0}?{1}={2}")
    @MethodSource("timesInQueries")
    @DisplayName("6: a time outside 0001–9999 in since or until → 400 naming the parameter and the accepted range")
    void times_outside_the_range_in_queries_are_refused(String list, String parameter, String time) {
        String path = list + "?" + parameter + "=" + URLEncoder.encode(time, StandardCharsets.UTF_8);
        JsonNode error = assertRefused(400, () -> http.get(path));
        assertThat(error.path("field").asText()).isEqualTo(parameter);
        assertThat(error.get("message").asText()).contains(parameter, "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
    }

    @ParameterizedTest(name = "release at {0}")
    @MethodSource("timesOutOfRange")
    @DisplayName("6: a release step at a time outside 0001–9999 → 400 naming the step's at and the accepted range, nothing written")
    void release_steps_outside_the_range_are_refused(String time) {
        String body = "{\"steps\":[{\"percentage\":10},{\"percentage\":50,\"at\":\"" + time + "\"}]}";
        JsonNode error = assertRefused(400, () -> http.post(PROJECT + "/deployments/1/release", body));
        assertThat(error.path("field").asText()).isEqualTo("steps[1].at");
        assertThat(error.get("message").asText()).contains("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
    }

    static Stream<String> timesOutOfRange() {
        return TIMES_OUT_OF_RANGE.stream();
    }

    @Test
    @DisplayName("6 (control): times at the edges of the range are taken")
    void times_at_the_edges_of_the_range_are_taken() {
        for (String time : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999Z")) {
            Http.Response response = http.get(PROJECT + "/audit?since=" + URLEncoder.encode(time, StandardCharsets.UTF_8));
            assertThat(response.status()).as("since=%s → %s", time, response).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- If-Match

    static Stream<Arguments> badIfMatch() {
        return routesWithIfMatch().flatMap(route -> Stream.of("bogus", "\"abc\"", "\"0\"", "\"-1\"", "\"1.5\"",
                        "\"99999999999999999999\"", "W/\"x\"", "\"\"", "\"1")
                .map(value -> Arguments.of(route, value)));
    }

    @ParameterizedTest(name = "{0} with If-Match: {1}")
    @MethodSource("badIfMatch")
    @DisplayName("19: a malformed If-Match on a versioned write (with an otherwise valid body) → 400 naming If-Match, nothing written")
    void bad_if_match_is_refused(Route route, String ifMatch) {
        JsonNode error = assertRefused(400, () -> http.with("If-Match", ifMatch)
                .send(route.method(), route.path(), route.validBody(), "application/json"));
        assertThat(error.path("field").asText()).isEqualTo("If-Match");
    }

    // ---------------------------------------------------------------- healthy afterwards

    @Test
    @Order(Integer.MAX_VALUE)
    @DisplayName("19: after all of this the server is healthy: a well-formed write succeeds on every route, with one audit event each")
    void a_well_formed_write_still_works_on_every_route() {
        for (Route route : ROUTES) {
            int before = auditEvents();
            Http.Response response = http.send(route.method(), route.path(), route.validBody(), "application/json");
            assertThat(response.status()).as("%s → %s", route, response).isBetween(200, 201);
            int recorded = route.path().endsWith("/release") ? 2 : 1; // a release, and its first step applied at once
            assertThat(auditEvents()).as("audit events after %s", route).isEqualTo(before + recorded);
        }
        assertThat(http.get(CONFIG).json().get("config").get("on").asBoolean()).isTrue();
        assertThat(http.get("/health/ready").status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    private static Route route(String method, String path) {
        return ROUTES.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst().orElseThrow();
    }

    /**
     * Sends a request that must be refused with {@code status}, checks the error body and that
     * nothing was written; returns the error body.
     */
    private static JsonNode assertRefused(int status, Supplier<Http.Response> request) {
        State before = State.read();
        Http.Response response = request.get();
        assertThat(response.status()).as("status of %s", abbreviated(response)).isEqualTo(status);
        JsonNode error = assertErrorBody(response);
        State after = State.read();
        assertThat(after.auditEvents()).as("audit events after a refused request (%s)", abbreviated(response))
                .isEqualTo(before.auditEvents());
        assertThat(after.resources()).as("resources after a refused request (%s)", abbreviated(response))
                .isEqualTo(before.resources());
        return error;
    }

    /**
     * What a message must not contain: names of Java packages, types and exceptions, and Jackson's
     * back-quoted types and features. A message speaks of what the caller sent and must change.
     */
    static final Pattern JAVA_NAMES = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|com\\.fasterxml|io\\.vertx|io\\.netty|dev\\.darklaunch)\\.\\w"
                    + "|`[^`]*`|\\[simple type|\\bclass [\\w.$]+"
                    + "|\\b\\w*(?:Exception|Error|Feature|Node|Deserializer|Request|Body)\\b"
                    + "|\\b(?:BigDecimal|BigInteger|Integer|Long|Double|Float|Short|Byte|Character|Boolean|LinkedHashMap|HashMap"
                    + "|ArrayList|Instant|OffsetDateTime|LocalDate|Duration)\\b|(?<!JSON )\\bString\\b");

    /** Every error is {@code {error, message, field?}} JSON: two non-empty strings and an optional string. */
    static JsonNode assertErrorBody(Http.Response response) {
        assertThat(response.header("Content-Type")).as("Content-Type of %s", abbreviated(response))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = response.json();
        assertThat(body.isObject()).as("error body %s", abbreviated(response)).isTrue();
        assertThat(body.path("error").isTextual()).as("error code in %s", abbreviated(response)).isTrue();
        assertThat(body.path("message").isTextual()).as("message in %s", abbreviated(response)).isTrue();
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("message").asText()).isNotBlank();
        if (body.has("field")) {
            assertThat(body.get("field").isTextual()).as("field in %s", abbreviated(response)).isTrue();
        }
        assertThat(body.get("message").asText()).as("the message speaks the caller's words, not Java's: %s", abbreviated(response))
                .doesNotContainPattern(JAVA_NAMES);
        return body;
    }

    private static String abbreviated(Http.Response response) {
        String text = response.toString();
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    /** The audit log's size and every resource a write route could change. */
    record State(int auditEvents, Map<String, JsonNode> resources) {

        private static final List<String> RESOURCES = List.of("/api/v1/projects", PROJECT, PROJECT + "/environments",
                PROJECT + "/flags?limit=500", FLAG, CONFIG, PROJECT + "/segments", SEGMENT, SEGMENT_CONFIG, "/api/v1/tokens", "/api/v1/users");

        static State read() {
            Map<String, JsonNode> resources = new LinkedHashMap<>();
            for (String path : RESOURCES) {
                Http.Response response = http.get(path);
                assertThat(response.status()).as("GET %s", path).isEqualTo(200);
                resources.put(path, withoutLastUse(response.json()));
            }
            return new State(BadInputIT.auditEvents(), resources);
        }

        /** Token lists say when each token was last used: that changes with every request and is no write. */
        private static JsonNode withoutLastUse(JsonNode node) {
            if (node.isObject()) {
                ((ObjectNode) node).remove("lastUsedAt");
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                withoutLastUse(it.next());
            }
            return node;
        }
    }

    /** The number of events in the whole audit log. */
    static int auditEvents() {
        return http.auditEvents();
    }

    /** Sends a body without Content-Length (chunked transfer encoding), which the test client does not do. */
    private static Http.Response sendChunked(Route route, byte[] body) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + route.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(route.method(), HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Http.Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(route + " (chunked) failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return Http.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    private static String write(JsonNode json) {
        try {
            return Http.mapper().writeValueAsString(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
