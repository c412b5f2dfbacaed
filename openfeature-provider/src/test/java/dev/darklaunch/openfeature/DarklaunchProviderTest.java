package dev.darklaunch.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requirements (the provider's contract, see {@link DarklaunchProvider}): all five OpenFeature
 * types with exact values, reasons mapped from Darklaunch's, every error code that applies,
 * variants (variation names, else indexes), flag metadata with its types, and the evaluation
 * context mapped to a Darklaunch context — all through the real OpenFeature API over a real
 * offline client loaded from {@code provider-flags.json}.
 */
class DarklaunchProviderTest {

    private static DarklaunchClient darklaunch;
    private static Client client;

    @BeforeAll
    static void start() throws Exception {
        darklaunch = DarklaunchClient.create(DarklaunchConfig.builder().offline().bootstrap(resource("provider-flags.json")).build());
        String domain = "provider-test-" + UUID.randomUUID();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, new DarklaunchProvider(darklaunch));
        client = OpenFeatureAPI.getInstance().getClient(domain);
    }

    @AfterAll
    static void stop() {
        darklaunch.close();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = DarklaunchProviderTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static EvaluationContext user(String key) {
        return new ImmutableContext(key);
    }

    @Test
    void aFlagWhoseAnswerCannotDependOnTheContextIsStatic() {
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("checkout", false, user("u"));
        assertThat(details.getValue()).isTrue();
        assertThat(details.getReason()).isEqualTo(Reason.STATIC.name());
        assertThat(details.getVariant()).isEqualTo("new");
        assertThat(details.getErrorCode()).isNull();
        assertThat(details.getFlagKey()).isEqualTo("checkout");
    }

    @Test
    void anOffFlagIsDisabledAndServesItsOffVariationOrElseTheCallersDefault() {
        FlagEvaluationDetails<Boolean> off = client.getBooleanDetails("checkout-off", true, user("u"));
        assertThat(off.getValue()).isFalse();
        assertThat(off.getReason()).isEqualTo(Reason.DISABLED.name());
        assertThat(off.getVariant()).as("no names: the index").isEqualTo("1");

        FlagEvaluationDetails<String> noOffVariation = client.getStringDetails("banner", "mine", user("u"));
        assertThat(noOffVariation.getValue()).isEqualTo("mine");
        assertThat(noOffVariation.getReason()).isEqualTo(Reason.DISABLED.name());
        assertThat(noOffVariation.getVariant()).isNull();
        assertThat(noOffVariation.getErrorCode()).isNull();
    }

    @Test
    void targetsAndRulesAreTargetingMatchesAndTheFallthroughAfterThemIsDefault() {
        assertThat(client.getStringDetails("theme", "x", user("user-beta")))
                .returns("beta", FlagEvaluationDetails::getValue)
                .returns(Reason.TARGETING_MATCH.name(), FlagEvaluationDetails::getReason)
                .returns("beta", FlagEvaluationDetails::getVariant);
        assertThat(client.getStringDetails("theme", "x", new ImmutableContext("u", Map.of("country", new Value("NO")))))
                .returns("dark", FlagEvaluationDetails::getValue)
                .returns(Reason.TARGETING_MATCH.name(), FlagEvaluationDetails::getReason);
        assertThat(client.getStringDetails("theme", "x", user("u")))
                .returns("light", FlagEvaluationDetails::getValue)
                .returns(Reason.DEFAULT.name(), FlagEvaluationDetails::getReason)
                .returns("light", FlagEvaluationDetails::getVariant);
    }

    @Test
    void anUnmetPrerequisiteIsDefault() {
        assertThat(client.getStringDetails("gated", "x", user("u")))
                .returns("a", FlagEvaluationDetails::getValue)
                .returns(Reason.DEFAULT.name(), FlagEvaluationDetails::getReason);
    }

    @Test
    void aRolloutIsASplitStickyByTargetingKey() {
        int trues = 0;
        for (int i = 0; i < 200; i++) {
            FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("split", false, user("user-" + i));
            assertThat(details.getReason()).isEqualTo(Reason.SPLIT.name());
            assertThat(client.getBooleanValue("split", !details.getValue(), user("user-" + i))).isEqualTo(details.getValue());
            assertThat(details.getValue()).isEqualTo(darklaunch.isEnabled("split", dev.darklaunch.sdk.Context.of("user-" + i)));
            trues += details.getValue() ? 1 : 0;
        }
        assertThat(trues).isBetween(60, 140);
    }

    @Test
    void aRolloutByKeyWithoutTargetingKeyIsTargetingKeyMissing() {
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("split", true, new ImmutableContext());
        assertThat(details.getValue()).isTrue();
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
        assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
    }

    @Test
    void withoutTargetingKeyFlagsThatNeedNoKeyStillEvaluate() {
        assertThat(client.getBooleanValue("checkout", false, new ImmutableContext())).isTrue();
        assertThat(client.getStringDetails("theme", "x", new ImmutableContext(Map.of("country", new Value("SE")))))
                .returns("dark", FlagEvaluationDetails::getValue)
                .returns(Reason.TARGETING_MATCH.name(), FlagEvaluationDetails::getReason);
        assertThat(client.getStringDetails("theme", "x")).returns("light", FlagEvaluationDetails::getValue)
                .returns(Reason.DEFAULT.name(), FlagEvaluationDetails::getReason);
    }

    @Test
    void contextAttributesOfEveryKindReachTheRules() {
        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u", Map.of("age", new Value(30), "pro", new Value(true)))))
                .as("integer and boolean").isEqualTo("dark");
        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u", Map.of("age", new Value(17.5), "pro", new Value(true)))))
                .as("double").isEqualTo("light");
        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u",
                Map.of("groups", new Value(List.of(new Value("dev"), new Value("staff")))))))
                .as("list").isEqualTo("beta");
        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u",
                Map.of("address", new Value(new ImmutableStructure(Map.of("city", new Value("Oslo"))))))))
                .as("structure, by dotted name").isEqualTo("beta");
        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u",
                Map.of("joined", new Value(Instant.parse("2019-05-01T00:00:00Z"))))))
                .as("instant").isEqualTo("beta");
        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u",
                Map.of("groups", new Value(List.of(new Value(new ImmutableStructure(Map.of())))), "country", new Value("NO")))))
                .as("a list Darklaunch cannot use is left out, the rest still counts").isEqualTo("dark");
        assertThat(client.getStringValue("theme", "x", new ImmutableContext("u", Map.of("key", new Value("user-beta")))))
                .as("an attribute named key does not replace the targeting key").isEqualTo("light");
    }

    @Test
    void aContextOfAnySizeIsReadOnDemand() {
        MutableContext big = new MutableContext("u");
        for (int i = 0; i < 1_000; i++) {
            big.add("a" + i, i);
        }
        big.add("country", "NO");
        assertThat(client.getStringDetails("theme", "x", big))
                .returns("dark", FlagEvaluationDetails::getValue).returns(null, FlagEvaluationDetails::getErrorCode);
    }

    @Test
    void numbersAreIntegersLongsAndDoublesExactly() {
        assertThat(client.getIntegerDetails("limit", 0, user("u")))
                .returns(10, FlagEvaluationDetails::getValue).returns("0", FlagEvaluationDetails::getVariant);
        assertThat(client.getDoubleValue("limit", 0.0, user("u"))).isEqualTo(10.0);
        assertThat(client.getDoubleValue("limit", 0.0, new ImmutableContext("u", Map.of("plan", new Value("half"))))).isEqualTo(2.5);
        assertThat(client.getLongValue("limit", 0L, new ImmutableContext("u", Map.of("plan", new Value("huge"))))).isEqualTo(9_000_000_000L);

        FlagEvaluationDetails<Integer> fraction = client.getIntegerDetails("limit", 7, new ImmutableContext("u", Map.of("plan", new Value("half"))));
        assertThat(fraction.getValue()).isEqualTo(7);
        assertThat(fraction.getErrorCode()).as("2.5 is no integer").isEqualTo(ErrorCode.TYPE_MISMATCH);
        FlagEvaluationDetails<Integer> tooBig = client.getIntegerDetails("limit", 7, new ImmutableContext("u", Map.of("plan", new Value("huge"))));
        assertThat(tooBig.getErrorCode()).as("9e9 does not fit an int").isEqualTo(ErrorCode.TYPE_MISMATCH);
    }

    @Test
    void objectsKeepNestedStructuresAndNumberTypes() {
        Value layout = client.getObjectValue("layout", new Value(), user("u"));
        var object = layout.asStructure();
        assertThat(object.getValue("columns").asObject()).isEqualTo(3);
        assertThat(object.getValue("ratio").asObject()).isEqualTo(0.25);
        assertThat(object.getValue("big").asObject()).isEqualTo(9_000_000_000L);
        assertThat(object.getValue("title").asString()).isEqualTo("Hi");
        assertThat(object.getValue("dark").asBoolean()).isFalse();
        assertThat(object.getValue("empty").asStructure().keySet()).isEmpty();
        List<Value> sections = object.getValue("sections").asList();
        assertThat(sections.get(0).asStructure().getValue("id").asString()).isEqualTo("top");
        assertThat(sections.get(0).asStructure().getValue("rows").asList()).extracting(Value::asInteger).containsExactly(1, 2);
        assertThat(sections.get(1).asString()).isEqualTo("footer");
        assertThat(sections.get(2).isNull()).isTrue();
        assertThat(Values.toJson(layout)).isEqualTo(darklaunch.jsonVariation("layout", dev.darklaunch.sdk.Context.of("u"), null));
    }

    @Test
    void answersHandedOutCannotBeChangedByTheApplication() {
        List<Value> sections = client.getObjectValue("layout", new Value(), user("u")).asStructure().getValue("sections").asList();
        try {
            sections.add(new Value("x")); // a copy, or refused: either way the next answer is whole
        } catch (UnsupportedOperationException expected) {
            // refused
        }
        assertThat(client.getObjectValue("layout", new Value(), user("u")).asStructure().getValue("sections").asList()).hasSize(3);
    }

    @Test
    void metadataKeepsItsTypesAndFlagsWithoutHaveNone() {
        ImmutableMetadata metadata = client.getBooleanDetails("checkout", false, user("u")).getFlagMetadata();
        assertThat(metadata.getString("version")).isEqualTo("1.0.2");
        assertThat(metadata.getInteger("ticket")).isEqualTo(42);
        assertThat(metadata.getLong("big")).isEqualTo(9_000_000_000L);
        assertThat(metadata.getDouble("ratio")).isEqualTo(0.1);
        assertThat(metadata.getBoolean("reviewed")).isTrue();
        assertThat(client.getBooleanDetails("checkout-off", false, user("u")).getFlagMetadata().isEmpty()).isTrue();
    }

    @Test
    void errorsServeTheDefaultWithTheirCode() {
        assertThat(client.getBooleanDetails("nope", true, user("u")))
                .returns(true, FlagEvaluationDetails::getValue).returns(ErrorCode.FLAG_NOT_FOUND, FlagEvaluationDetails::getErrorCode)
                .returns(Reason.ERROR.name(), FlagEvaluationDetails::getReason);
        assertThat(client.getStringDetails("checkout", "d", user("u")))
                .returns("d", FlagEvaluationDetails::getValue).returns(ErrorCode.TYPE_MISMATCH, FlagEvaluationDetails::getErrorCode);
        assertThat(client.getObjectDetails("checkout", new Value("d"), user("u")).getErrorCode())
                .as("a boolean flag is no object").isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(client.getIntegerDetails("theme", 1, user("u")).getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(client.getBooleanDetails("broken", false, user("u")))
                .returns(false, FlagEvaluationDetails::getValue).returns(ErrorCode.PARSE_ERROR, FlagEvaluationDetails::getErrorCode);
    }

    @Test
    void aClientWithoutDataIsNotReady() throws Exception {
        try (HeldFlagServer server = new HeldFlagServer(); DarklaunchClient empty = server.client()) {
            DarklaunchProvider provider = new DarklaunchProvider(empty);
            ProviderEvaluation<Boolean> evaluation = provider.getBooleanEvaluation("checkout", true, user("u"));
            assertThat(evaluation.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
            assertThat(evaluation.getValue()).isTrue();
        }
    }

    @Test
    void repeatedEvaluationsReuseTheirAnswers() {
        DarklaunchProvider provider = new DarklaunchProvider(darklaunch);
        ProviderEvaluation<Boolean> first = provider.getBooleanEvaluation("checkout", false, user("a"));
        assertThat(provider.getBooleanEvaluation("checkout", false, user("b"))).isSameAs(first);
        assertThat(provider.getStringEvaluation("banner", "mine", user("a")).getValue()).as("defaults are never reused").isEqualTo("mine");
        assertThat(provider.getStringEvaluation("banner", "yours", user("a")).getValue()).isEqualTo("yours");
    }
}
