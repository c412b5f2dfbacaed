package dev.darklaunch.server;

import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.OfrepFixture;
import dev.darklaunch.server.testing.OfrepSpec;
import dev.darklaunch.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY 19 for OFREP: huge contexts, deep nesting, wrong types, unknown fields, bodies that
 * are not JSON or not sent as JSON all get the protocol's 400 (validated against its document),
 * with the error code OFREP clients act on and a message saying what to fix — never a 500. Kept
 * apart from {@link BadInputIT}, whose checks are about writes and Darklaunch's own error shape.
 */
@DarklaunchServerTest
class OfrepBadInputIT {

    @Given
    private static TestServer server;
    private static Http sdk;
    private static OfrepSpec spec;

    @BeforeAll
    static void start() {
        spec = OfrepSpec.load();
        OfrepFixture.create(server.admin());
        sdk = server.admin().as(server.token("sdk", "default", OfrepFixture.ENVIRONMENT));
    }

    static Stream<Arguments> badBodies() {
        Map<String, Object> manyAttributes = new LinkedHashMap<>();
        manyAttributes.put("targetingKey", "u");
        for (int i = 0; i < 101; i++) {
            manyAttributes.put("a" + i, i);
        }
        String deep = "{\"context\":{\"targetingKey\":\"u\",\"x\":" + "[".repeat(70) + "]".repeat(70) + "}}";
        List<Object> longList = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            longList.add("v" + i);
        }
        return Stream.of(
                bad("no targetingKey", Map.of("context", Map.of("country", "NO")), "TARGETING_KEY_MISSING"),
                bad("empty targetingKey", Map.of("context", Map.of("targetingKey", "")), "TARGETING_KEY_MISSING"),
                bad("null targetingKey", "{\"context\":{\"targetingKey\":null}}", "TARGETING_KEY_MISSING"),
                bad("numeric targetingKey", Map.of("context", Map.of("targetingKey", 42)), "INVALID_CONTEXT"),
                bad("object targetingKey", Map.of("context", Map.of("targetingKey", Map.of("id", 1))), "INVALID_CONTEXT"),
                bad("context is text", Map.of("context", "user-1"), "INVALID_CONTEXT"),
                bad("context is a list", Map.of("context", List.of("user-1")), "INVALID_CONTEXT"),
                bad("no context", Map.of(), "INVALID_CONTEXT"),
                bad("null context", "{\"context\":null}", "INVALID_CONTEXT"),
                bad("101 attributes", Map.of("context", manyAttributes), "INVALID_CONTEXT"),
                bad("a 10 001-character text", Map.of("context", Map.of("targetingKey", "u", "bio", "x".repeat(10_001))), "INVALID_CONTEXT"),
                bad("a 10 001-character targetingKey", Map.of("context", Map.of("targetingKey", "x".repeat(10_001))), "INVALID_CONTEXT"),
                bad("a list of 1 001 values", Map.of("context", Map.of("targetingKey", "u", "groups", longList)), "INVALID_CONTEXT"),
                bad("a 101-character attribute name", Map.of("context", Map.of("targetingKey", "u", "n".repeat(101), 1)), "INVALID_CONTEXT"),
                bad("nesting 70 deep", deep, "PARSE_ERROR"),
                bad("an unknown field", Map.of("context", Map.of("targetingKey", "u"), "flags", List.of("on-off")), "PARSE_ERROR"),
                bad("not JSON", "{context: {targetingKey: 'u'}}", "PARSE_ERROR"),
                bad("truncated JSON", "{\"context\":{\"targetingKey\":\"u\"", "PARSE_ERROR"),
                bad("a JSON list", "[{\"context\":{\"targetingKey\":\"u\"}}]", "PARSE_ERROR"),
                bad("trailing content", "{\"context\":{\"targetingKey\":\"u\"}} {}", "PARSE_ERROR"),
                bad("a NUL character", "{\"context\":{\"targetingKey\":\"u\\u0000\"}}", "PARSE_ERROR"),
                bad("a body over 1 MiB", Map.of("context", Map.of("targetingKey", "u", "bio", "x".repeat(1024 * 1024))), "PARSE_ERROR"),
                bad("no body", null, "PARSE_ERROR"));
    }

    private static Arguments bad(String name, Object body, String errorCode) {
        return Arguments.of(Named.of(name, body), errorCode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void a_bad_body_is_the_protocols_400(Object body, String errorCode) {
        check(sdk.send("POST", "/ofrep/v1/evaluate/flags/on-off", body, "application/json"), "/ofrep/v1/evaluate/flags/{key}", errorCode);
        check(sdk.send("POST", "/ofrep/v1/evaluate/flags", body, "application/json"), "/ofrep/v1/evaluate/flags", errorCode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contentTypes")
    void a_body_not_sent_as_json_is_the_protocols_400(String contentType) {
        String body = "{\"context\":{\"targetingKey\":\"u\"}}";
        check(sdk.send("POST", "/ofrep/v1/evaluate/flags/on-off", body, contentType), "/ofrep/v1/evaluate/flags/{key}", "PARSE_ERROR");
        check(sdk.send("POST", "/ofrep/v1/evaluate/flags", body, contentType), "/ofrep/v1/evaluate/flags", "PARSE_ERROR");
    }

    static Stream<String> contentTypes() {
        return Stream.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml");
    }

    private static void check(Http.Response response, String path, String errorCode) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(spec.problems("POST", path, response)).as(response.toString()).isEmpty();
        assertThat(response.json().get("errorCode").asText()).as(response.toString()).isEqualTo(errorCode);
        assertThat(response.json().get("errorDetails").asText()).isNotBlank().doesNotContain("Exception", "com.fasterxml");
        if (path.endsWith("{key}")) {
            assertThat(response.json().get("key").asText()).isEqualTo("on-off");
        }
    }

    @Test
    void structures_nulls_and_unknown_types_in_attributes_are_left_out_not_refused() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("targetingKey", "u");
        context.put("country", "NO");
        context.put("address", Map.of("city", "Oslo", "deeper", Map.of("a", List.of(Map.of("b", 1)))));
        context.put("nothing", null);
        context.put("mixed", List.of(1, Map.of("x", 1)));
        context.put("key", "someone-else");
        Http.Response response = sdk.post("/ofrep/v1/evaluate/flags/by-country", Map.of("context", context));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("value").asBoolean()).isTrue();
    }

    @Test
    void query_parameters_from_an_event_stream_are_accepted() {
        Http.Response response = sdk.post("/ofrep/v1/evaluate/flags?flagConfigEtag=abc&flagConfigLastModified=1771622898",
                Map.of("context", Map.of("targetingKey", "u")));
        assertThat(response.status()).isEqualTo(200);
    }
}
