package dev.darklaunch.server;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.TestServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md scenario 19, property-based: random bodies thrown at every write route never
 * cause a 5xx; every 4xx is an {@code {error, message}} JSON body and writes nothing (the audit
 * log keeps its size and the resources read back the same); a 2xx writes exactly the one audit
 * event its route stands for (on/off may write none when the flag is already in that state).
 *
 * <p>Three kinds of bodies: random JSON values; valid bodies of the route with a few mutations
 * (fields removed, types swapped, extreme numbers, random values and extra fields); and raw bytes
 * (noise, valid bodies cut short or with a byte changed) under assorted content types. Paths mix
 * the real project, flag, environment and segment keys with unknown and odd ones.
 */
class RandomBodiesIT {

    private static final String PROJECT = "/api/v1/projects/default";
    private static final String FLAG = "rnd-flag";
    private static final String SEGMENT = "rnd-seg";

    private static TestServer server;
    private static Http http;

    @BeforeContainer
    static void startServer() {
        server = TestServer.start();
        http = server.admin();
        assertThat(http.post(PROJECT + "/flags", """
                {"key":"rnd-flag","name":"Random flag","kind":"boolean","variations":[{"value":true},{"value":false}]}""").status())
                .isEqualTo(201);
        assertThat(http.post(PROJECT + "/segments", "{\"key\":\"rnd-seg\",\"name\":\"Random segment\"}").status()).isEqualTo(201);
        // the first start created user 1 (admin); this one is 2
        assertThat(server.user("fixture@example.com", "a fixture password", "viewer")).isEqualTo(2);
    }

    @AfterContainer
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // ================================================================ properties

    @Property(tries = 150)
    @Label("19: random JSON values at every write route → no 5xx; a 4xx is {error, message} and writes nothing")
    void random_json_values(@ForAll("targets") Target target, @ForAll("randomJson") JsonNode body) {
        check(new Attempt(target, serialize(body), "application/json", null));
    }

    @Property(tries = 250)
    @Label("19: valid bodies with fields removed, types swapped, extreme numbers, extra fields → no 5xx, no partial write")
    void mutated_valid_bodies(@ForAll("mutatedAttempts") Attempt attempt) {
        check(attempt);
    }

    @Property(tries = 120)
    @Label("19: random bytes and broken JSON under assorted content types → no 5xx, no partial write")
    void random_bytes(@ForAll("targets") Target target, @ForAll("rawBodies") byte[] body, @ForAll("contentTypes") String contentType) {
        check(new Attempt(target, body, contentType, null));
    }

    /** The properties' one check, for any request. */
    private static void check(Attempt attempt) {
        Snapshot before = Snapshot.read();
        Http.Response response = attempt.send();
        Statistics.label("status").collect(response.status());
        assertThat(response.status()).as("%s\n→ %s", attempt, response).isLessThan(500);
        assertThat(response.status() / 100).as("%s\n→ %s", attempt, response).isIn(2, 4);
        if (response.status() >= 400) {
            BadInputIT.assertErrorBody(response);
            Snapshot after = Snapshot.read();
            assertThat(after.auditEvents()).as("audit events after %s\n→ %s", attempt, response).isEqualTo(before.auditEvents());
            assertThat(after.resources()).as("resources after %s\n→ %s", attempt, response).isEqualTo(before.resources());
        } else {
            int written = auditEvents() - before.auditEvents();
            WriteRoute route = attempt.target().route();
            assertThat(written).as("audit events written by %s\n→ %s", attempt, response)
                    .isBetween(route.mayChangeNothing() ? 0 : 1, 1);
            if (written == 1) {
                JsonNode event = http.get("/api/v1/audit?limit=1").json().get("items").get(0);
                assertThat(event.get("action").asText()).as("audit event of %s", attempt).isEqualTo(route.action());
            }
        }
    }

    // ================================================================ routes and paths

    /** Every write route, the audit action a success records, and bodies it accepts ({fresh} becomes a new key). */
    enum WriteRoute {
        CREATE_PROJECT("POST", "/api/v1/projects", "project.create",
                "{\"key\":\"{fresh}\",\"name\":\"Random project\"}",
                "{\"key\":\"{fresh}\",\"name\":\"P\",\"environments\":[{\"key\":\"dev\",\"name\":\"Dev\"},{\"key\":\"prod\",\"production\":true}],\"comment\":\"c\"}"),
        UPDATE_PROJECT("PUT", "/api/v1/projects/{project}", "project.update",
                "{\"name\":\"Default project\",\"comment\":\"rename\"}"),
        CREATE_ENVIRONMENT("POST", "/api/v1/projects/{project}/environments", "environment.create",
                "{\"key\":\"{fresh}\",\"name\":\"QA\",\"production\":false}"),
        UPDATE_ENVIRONMENT("PUT", "/api/v1/projects/{project}/environments/{env}", "environment.update",
                "{\"name\":\"Environment\",\"production\":false}"),
        CREATE_FLAG("POST", "/api/v1/projects/{project}/flags", "flag.create",
                "{\"key\":\"{fresh}\",\"name\":\"N\",\"description\":\"d\",\"kind\":\"boolean\",\"variations\":[{\"value\":true,\"name\":\"on\"},"
                        + "{\"value\":false,\"name\":\"off\"}],\"tags\":[\"team:web\"],\"owner\":\"me\",\"lifecycle\":\"permanent\",\"archived\":false}",
                "{\"key\":\"{fresh}\",\"name\":\"J\",\"kind\":\"json\",\"variations\":[{\"value\":{\"a\":[1,2.5,null]}},{\"value\":\"x\"},{\"value\":7}]}"),
        UPDATE_FLAG("PUT", "/api/v1/projects/{project}/flags/{flag}", "flag.update",
                "{\"key\":\"rnd-flag\",\"name\":\"Random flag\",\"kind\":\"boolean\",\"variations\":[{\"value\":true},{\"value\":false}],\"tags\":[\"a\"]}"),
        DELETE_FLAG("DELETE", "/api/v1/projects/{project}/flags/{missing}", "flag.delete",
                "{\"comment\":\"bye\"}"),
        PUT_CONFIG("PUT", "/api/v1/projects/{project}/flags/{flag}/environments/{env}", "flag.config.update",
                "{\"on\":true,\"offVariation\":1,\"fallthrough\":{\"variation\":0},\"rules\":[{\"clauses\":[{\"attribute\":\"country\",\"op\":\"in\",\"values\":[\"NO\"]}],\"serve\":{\"variation\":0}}]}",
                "{\"on\":false,\"offVariation\":1,\"targets\":[{\"variation\":0,\"values\":[\"u1\",\"u2\"]}],\"rules\":[{\"id\":\"r1\",\"description\":\"d\","
                        + "\"clauses\":[{\"attribute\":\"version\",\"op\":\"semverGte\",\"values\":[\"1.2.0\"],\"negate\":true,\"caseInsensitive\":false},"
                        + "{\"attribute\":\"ip\",\"op\":\"inCidr\",\"values\":[\"10.0.0.0/8\"]}],\"serve\":{\"variation\":1}}],"
                        + "\"fallthrough\":{\"rollout\":{\"variations\":[{\"variation\":0,\"weight\":40000},{\"variation\":1,\"weight\":60000}],"
                        + "\"bucketBy\":\"key\",\"salt\":\"s\"}},\"prerequisites\":[],\"comment\":\"c\"}"),
        TURN_ON("POST", "/api/v1/projects/{project}/flags/{flag}/environments/{env}/on", "flag.on", "{\"comment\":\"on\"}", "{}"),
        TURN_OFF("POST", "/api/v1/projects/{project}/flags/{flag}/environments/{env}/off", "flag.off", "{\"comment\":\"off\"}", "{}"),
        CREATE_SEGMENT("POST", "/api/v1/projects/{project}/segments", "segment.create",
                "{\"key\":\"{fresh}\",\"name\":\"S\",\"description\":\"d\"}"),
        UPDATE_SEGMENT("PUT", "/api/v1/projects/{project}/segments/{segment}", "segment.update",
                "{\"key\":\"rnd-seg\",\"name\":\"Random segment\"}"),
        DELETE_SEGMENT("DELETE", "/api/v1/projects/{project}/segments/{missing}", "segment.delete",
                "{\"comment\":\"bye\"}"),
        PUT_SEGMENT_CONFIG("PUT", "/api/v1/projects/{project}/segments/{segment}/environments/{env}", "segment.config.update",
                "{\"included\":[\"u1\"],\"excluded\":[\"u2\"],\"rules\":[{\"id\":\"r\",\"clauses\":[{\"attribute\":\"email\",\"op\":\"endsWith\","
                        + "\"values\":[\"@example.com\"]},{\"attribute\":\"plan\",\"op\":\"exists\"}]}]}"),
        CREATE_TOKEN("POST", "/api/v1/tokens", "token.create",
                "{\"name\":\"ci\",\"kind\":\"pipeline\",\"project\":\"default\",\"environments\":[\"production\",\"staging\"]}",
                "{\"name\":\"app\",\"kind\":\"sdk\",\"project\":\"default\",\"environments\":[\"production\"]}"),
        REVOKE_TOKEN("DELETE", "/api/v1/tokens/{token}", "token.revoke", "{\"comment\":\"bye\"}"),
        CREATE_USER("POST", "/api/v1/users", "user.create",
                "{\"email\":\"{fresh}@example.com\",\"password\":\"a random bodies password\",\"role\":\"viewer\"}",
                "{\"email\":\"{fresh}@example.org\",\"password\":\"another random password\",\"role\":\"editor\",\"comment\":\"c\"}"),
        // role changes only: a password in the body would make it another action (user.update)
        CHANGE_USER("PATCH", "/api/v1/users/{user}", "user.role", "{\"role\":\"editor\"}", "{\"role\":\"viewer\",\"comment\":\"c\"}"),
        DELETE_USER("DELETE", "/api/v1/users/{token}", "user.delete", "{\"comment\":\"bye\"}");

        final String method;
        final String path;
        final String action;
        final List<String> validBodies;

        WriteRoute(String method, String path, String action, String... validBodies) {
            this.method = method;
            this.path = path;
            this.action = action;
            this.validBodies = List.of(validBodies);
        }

        String action() {
            return action;
        }

        /** Switching a flag on or off that already is answers 200 and writes nothing. */
        boolean mayChangeNothing() {
            return this == TURN_ON || this == TURN_OFF;
        }

        String path(Map<String, String> keys) {
            String result = path;
            for (Map.Entry<String, String> key : keys.entrySet()) {
                result = result.replace("{" + key.getKey() + "}", pathSegment(key.getValue()));
            }
            return result;
        }
    }

    /** A route with its path filled in. */
    record Target(WriteRoute route, String path) {
        @Override
        public String toString() {
            return route.method + " " + path;
        }
    }

    @Provide
    Arbitrary<Target> targets() {
        return Arbitraries.of(WriteRoute.class).flatMap(route -> pathKeys().map(keys -> new Target(route, route.path(keys))));
    }

    /**
     * Mostly the keys that exist, sometimes unknown or odd ones; {missing} and {token} never name
     * something that exists ({token} also stands for user ids to delete); {user} is the fixture user.
     */
    private static Arbitrary<Map<String, String>> pathKeys() {
        return Combinators.combine(
                        mostly("default", "no-such-project"),
                        mostly(FLAG, "no-such-flag"),
                        Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("production", "staging", "development")),
                                Tuple.of(1, Arbitraries.just("no-such-environment")), Tuple.of(1, oddKey())),
                        mostly(SEGMENT, "no-such-segment"),
                        Arbitraries.oneOf(Arbitraries.just("no-such-thing"), oddKey()).filter(key -> !key.equals(FLAG) && !key.equals(SEGMENT)),
                        Arbitraries.oneOf(Arbitraries.of("999999999", "0", "-1"), oddKey().filter(key -> !parsesAsLong(key))),
                        mostly("2", "999999999"))
                .as((project, flag, env, segment, missing, token, user) -> {
                    Map<String, String> keys = new LinkedHashMap<>();
                    keys.put("project", project);
                    keys.put("flag", flag);
                    keys.put("env", env);
                    keys.put("segment", segment);
                    keys.put("missing", missing);
                    keys.put("token", token);
                    keys.put("user", user);
                    return keys;
                });
    }

    private static Arbitrary<String> mostly(String existing, String unknown) {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(existing)), Tuple.of(1, Arbitraries.just(unknown)),
                Tuple.of(1, oddKey()));
    }

    /** Keys no resource has: any characters, too long, look-alikes. Never "." or "..", which a path normalizes away. */
    private static Arbitrary<String> oddKey() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30),
                        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(101).ofMaxLength(200),
                        Arbitraries.of("UPPER", "Default", "rnd_flag", "ünïcödé", "😀", "a b", "a/b", "a%2Fb", "\u0000", "...", "-lead"))
                .filter(key -> !key.equals(".") && !key.equals(".."));
    }

    private static boolean parsesAsLong(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters. */
    private static String pathSegment(String raw) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", (int) c));
            }
        }
        return encoded.toString();
    }

    // ================================================================ random JSON

    private static final List<String> KNOWN_FIELDS = List.of("key", "name", "description", "kind", "variations", "value", "tags",
            "owner", "lifecycle", "archived", "on", "offVariation", "targets", "rules", "fallthrough", "prerequisites", "variation",
            "values", "clauses", "attribute", "op", "negate", "caseInsensitive", "serve", "rollout", "weight", "bucketBy", "salt",
            "id", "included", "excluded", "environments", "production", "project", "comment", "flag", "email", "role");

    private static final List<String> KNOWN_WORDS = List.of("production", "staging", "development", "default", FLAG, SEGMENT,
            "boolean", "string", "number", "json", "temporary", "permanent", "admin", "pipeline", "sdk", "in", "startsWith",
            "matches", "exists", "segmentMatch", "semverGt", "before", "inCidr", "numberLt", "key", "country", "NO", "1.2.3",
            "10.0.0.0/8", "2026-01-01T00:00:00Z", "(a+)+$", "[", "null", "true");

    @Provide
    Arbitrary<JsonNode> randomJson() {
        return Arbitraries.frequencyOf(Tuple.of(4, jsonObject(3)), Tuple.of(1, jsonValue(3)));
    }

    private static Arbitrary<JsonNode> jsonValue(int depth) {
        if (depth <= 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(Tuple.of(3, scalar()), Tuple.of(1, jsonArray(depth)), Tuple.of(1, jsonObject(depth)));
    }

    private static Arbitrary<JsonNode> jsonArray(int depth) {
        return jsonValue(depth - 1).list().ofMaxSize(4).map(RandomBodiesIT::arrayOf);
    }

    private static Arbitrary<JsonNode> jsonObject(int depth) {
        return Combinators.combine(fieldName(), jsonValue(depth - 1)).as(Map::entry).list().ofMaxSize(5).map(RandomBodiesIT::objectOf);
    }

    private static Arbitrary<JsonNode> scalar() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, text().map(RandomBodiesIT::textNode)),
                Tuple.of(2, number()),
                Tuple.of(1, Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.getInstance())));
    }

    /** Any characters (controls, NUL, unpaired surrogates), key-like text, words the API knows, and a few nasty ones. */
    private static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(20)),
                Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(12)),
                Tuple.of(2, Arbitraries.of(KNOWN_WORDS)),
                Tuple.of(1, Arbitraries.of("", " ", "\u0000", "a\u0000b", "\ud800", "x\udc00", "😀", "e\u0301", "\u202e", "\t\r\n",
                        "x".repeat(300), "y".repeat(5000))));
    }

    private static Arbitrary<String> fieldName() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(KNOWN_FIELDS)), Tuple.of(1, text()));
    }

    private static Arbitrary<JsonNode> number() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 200).map(IntNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                extremeNumber());
    }

    /** Numbers at and beyond the edges: of int, long and double, of the JSON parser's 1 000-digit limit. */
    private static Arbitrary<JsonNode> extremeNumber() {
        return Arbitraries.of(
                IntNode.valueOf(Integer.MAX_VALUE), IntNode.valueOf(Integer.MIN_VALUE),
                LongNode.valueOf(Long.MAX_VALUE), LongNode.valueOf(Long.MIN_VALUE),
                BigIntegerNode.valueOf(new BigInteger("9".repeat(40))), BigIntegerNode.valueOf(new BigInteger("-1" + "0".repeat(400))),
                DecimalNode.valueOf(new BigDecimal("1e400")), DecimalNode.valueOf(new BigDecimal("-1e400")),
                DecimalNode.valueOf(new BigDecimal("1e-400")), DecimalNode.valueOf(new BigDecimal("0.1")),
                DoubleNode.valueOf(Double.MAX_VALUE), DoubleNode.valueOf(Double.MIN_VALUE), DoubleNode.valueOf(-0.0),
                DecimalNode.valueOf(new BigDecimal("1" + "0".repeat(999))), DecimalNode.valueOf(new BigDecimal("1" + "0".repeat(1200))));
    }

    private static JsonNode textNode(String text) {
        return TextNode.valueOf(text);
    }

    private static JsonNode arrayOf(List<JsonNode> elements) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        elements.forEach(array::add);
        return array;
    }

    private static JsonNode objectOf(List<Map.Entry<String, JsonNode>> fields) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        fields.forEach(field -> object.set(field.getKey(), field.getValue()));
        return object;
    }

    // ================================================================ mutations of valid bodies

    /** What a mutation does at the place it picks. */
    enum Change { REMOVE, REPLACE_WITH_RANDOM, SWAP_TYPE, EXTREME_NUMBER, ADD_FIELD }

    /**
     * One change to a body. {@code at} picks the place among all fields and elements (or, to add a
     * field, among all objects), whatever the body's shape.
     */
    record Mutation(Change change, int at, JsonNode random, JsonNode extreme, String name) {

        JsonNode applyTo(JsonNode root) {
            if (change == Change.ADD_FIELD) {
                List<ObjectNode> objects = new ArrayList<>();
                collectObjects(root, objects);
                if (!objects.isEmpty()) {
                    objects.get(Math.floorMod(at, objects.size())).set(name, random);
                }
                return root;
            }
            List<Place> places = new ArrayList<>();
            collectPlaces(root, places);
            if (places.isEmpty()) {
                return root;
            }
            Place place = places.get(Math.floorMod(at, places.size()));
            switch (change) {
                case REMOVE -> place.remove();
                case REPLACE_WITH_RANDOM -> place.set(random);
                case SWAP_TYPE -> place.set(swapType(place.get()));
                case EXTREME_NUMBER -> place.set(extreme);
                default -> throw new IllegalStateException(change.name());
            }
            return root;
        }
    }

    /** A field of an object or an element of an array. */
    record Place(JsonNode container, String field, int index) {
        JsonNode get() {
            return field != null ? container.get(field) : container.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) container).set(field, value);
            } else {
                ((ArrayNode) container).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) container).remove(field);
            } else {
                ((ArrayNode) container).remove(index);
            }
        }
    }

    private static void collectPlaces(JsonNode node, List<Place> places) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                places.add(new Place(node, name, -1));
                collectPlaces(node.get(name), places);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                places.add(new Place(node, null, i));
                collectPlaces(node.get(i), places);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node.isObject()) {
            objects.add((ObjectNode) node);
        }
        node.elements().forEachRemaining(child -> collectObjects(child, objects));
    }

    /** The same information in another JSON type: "3" for 3, 3 for "abc", [x] for an object x, … */
    private static JsonNode swapType(JsonNode value) {
        if (value.isTextual()) {
            return IntNode.valueOf(value.textValue().length());
        }
        if (value.isNumber() || value.isBoolean()) {
            return TextNode.valueOf(value.asText());
        }
        if (value.isNull()) {
            return BooleanNode.FALSE;
        }
        if (value.isArray()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < value.size(); i++) {
                object.set(String.valueOf(i), value.get(i));
            }
            return object;
        }
        return JsonNodeFactory.instance.arrayNode().add(value);
    }

    private static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.of(Change.class), Arbitraries.integers().between(0, 1000), jsonValue(2),
                extremeNumber(), fieldName()).as(Mutation::new);
    }

    /** A valid body of the route, with a fresh key where it creates something. */
    private static Arbitrary<JsonNode> validBody(WriteRoute route) {
        return Combinators.combine(Arbitraries.of(route.validBodies), Arbitraries.strings().withCharRange('a', 'z').ofLength(10))
                .as((template, fresh) -> parse(template.replace("{fresh}", "rnd-" + fresh)));
    }

    @Provide
    Arbitrary<Attempt> mutatedAttempts() {
        return targets().flatMap(target -> Combinators.combine(
                        validBody(target.route()),
                        mutation().list().ofMaxSize(3),
                        Arbitraries.of("\"1\"", "\"2\"", "*", "bogus", "W/\"1\"").injectNull(0.7))
                .as((body, mutations, ifMatch) -> {
                    JsonNode mutated = body;
                    for (Mutation mutation : mutations) {
                        mutated = mutation.applyTo(mutated);
                    }
                    return new Attempt(target, serialize(mutated), "application/json", ifMatch);
                }));
    }

    // ================================================================ raw bytes

    @Provide
    Arbitrary<byte[]> rawBodies() {
        Arbitrary<byte[]> validText = Arbitraries.of(WriteRoute.class).flatMap(RandomBodiesIT::validBody).map(RandomBodiesIT::serialize);
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                validText.flatMap(body -> Arbitraries.integers().between(0, body.length - 1).map(length -> Arrays.copyOf(body, length))),
                validText.flatMap(body -> Combinators.combine(Arbitraries.integers().between(0, body.length - 1), Arbitraries.bytes())
                        .as((at, value) -> {
                            byte[] changed = body.clone();
                            changed[at] = value;
                            return changed;
                        })),
                Arbitraries.strings().withChars("abc=&%+-_\r\n").ofMaxLength(60).map(text -> text.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.just("application/json")),
                        Tuple.of(1, Arbitraries.of("application/json; charset=utf-8", "application/vnd.darklaunch+json", "APPLICATION/JSON",
                                "application/json; charset=utf-16")),
                        Tuple.of(2, Arbitraries.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                                "multipart/form-data", "application/octet-stream", "application/xml")))
                .injectNull(0.05);
    }

    // ================================================================ sending and reading back

    /** One request: where, what, as which content type, with which If-Match (or none). */
    record Attempt(Target target, byte[] body, String contentType, String ifMatch) {

        Http.Response send() {
            Http client = ifMatch == null ? http : http.with("If-Match", ifMatch);
            return client.send(target.route().method, target.path(), body, contentType);
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return target + " (Content-Type: " + contentType + (ifMatch == null ? "" : ", If-Match: " + ifMatch) + ") "
                    + (text.length() <= 300 ? text : text.substring(0, 300) + "… (" + body.length + " bytes)");
        }
    }

    /** The audit log's size and what the write routes could change. */
    record Snapshot(int auditEvents, Map<String, JsonNode> resources) {

        private static final List<String> RESOURCES = List.of("/api/v1/projects", PROJECT + "/flags?limit=500",
                PROJECT + "/flags/" + FLAG + "/environments/production", PROJECT + "/segments",
                PROJECT + "/segments/" + SEGMENT + "/environments/production", "/api/v1/tokens", "/api/v1/users");

        static Snapshot read() {
            Map<String, JsonNode> resources = new LinkedHashMap<>();
            for (String path : RESOURCES) {
                Http.Response response = http.get(path);
                assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
                resources.put(path, withoutLastUse(response.json()));
            }
            return new Snapshot(RandomBodiesIT.auditEvents(), resources);
        }

        /** When a token was last used changes with every request and is no write. */
        private static JsonNode withoutLastUse(JsonNode node) {
            if (node.isObject()) {
                ((ObjectNode) node).remove("lastUsedAt");
            }
            node.elements().forEachRemaining(Snapshot::withoutLastUse);
            return node;
        }
    }

    /** The number of events in the whole audit log. */
    private static int auditEvents() {
        return http.auditEvents();
    }

    // ================================================================ JSON text

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper ASCII_ONLY = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** JSON text as UTF-8; lone surrogates (which UTF-8 cannot carry) go as \\u escapes. */
    private static byte[] serialize(JsonNode body) {
        try {
            return PLAIN.writeValueAsBytes(body);
        } catch (IOException | IllegalArgumentException unencodable) {
            try {
                return ASCII_ONLY.writeValueAsBytes(body);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return PLAIN.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }
}
