package dev.darklaunch.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.SdkTestTimings;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Fixtures;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.OfrepFixture;
import dev.darklaunch.server.testing.TestServer;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real OFREP client nobody here wrote — OpenFeature's Java OFREP provider
 * ({@code dev.openfeature.contrib.providers:ofrep}) on the OpenFeature SDK — evaluates the same
 * flags as the embedded {@link DarklaunchClient} for the same contexts, gets equal answers, and
 * sees a flip.
 */
@DarklaunchServerTest
class OfrepProviderIT {

    private static final String DOMAIN = "darklaunch-ofrep-it";

    @Given
    private static TestServer server;

    @Given
    private static Fixtures given;
    @Given
    private static Http admin;
    private static DarklaunchClient darklaunch;
    private static Client openFeature;
    private static OfrepProvider provider;

    @BeforeAll
    static void start() {
        OfrepFixture.create(admin);
        String token = server.token("sdk", "default", OfrepFixture.ENVIRONMENT);
        darklaunch = DarklaunchClient.create(SdkTestTimings.fast(DarklaunchConfig.builder()
                        .baseUri(URI.create(server.base())).sdkToken(token).initTimeout(Duration.ofSeconds(10)))
                .build());
        provider = OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                .baseUrl(server.base())
                .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + token)))
                .build());
        OpenFeatureAPI.getInstance().setProviderAndWait(DOMAIN, provider);
        openFeature = OpenFeatureAPI.getInstance().getClient(DOMAIN);
    }

    @AfterAll
    static void stop() {
        if (darklaunch != null) {
            darklaunch.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    /** The same person, as each client takes a context. */
    private record Person(String key, String country, String plan) {
        EvaluationContext openFeature() {
            Map<String, Value> attributes = new HashMap<>();
            attributes.put("country", new Value(country));
            attributes.put("plan", new Value(plan));
            return new ImmutableContext(key, attributes);
        }

        Context darklaunch() {
            return Context.of(key).with("country", country).with("plan", plan);
        }
    }

    private static List<Person> people() {
        List<Person> people = new ArrayList<>();
        String[] countries = {"NO", "SE", "DE"};
        String[] plans = {"premium", "free"};
        for (int i = 0; i < 60; i++) {
            people.add(new Person("user-" + i, countries[i % 3], plans[i % 2]));
        }
        return people;
    }

    @Test
    void every_kind_of_flag_answers_as_the_embedded_sdk_does() {
        int rolledOut = 0;
        for (Person person : people()) {
            EvaluationContext of = person.openFeature();
            Context dl = person.darklaunch();
            for (String key : List.of("on-off", "by-country", "rollout-30", "disabled", OfrepFixture.SERVER_ONLY)) {
                FlagEvaluationDetails<Boolean> details = openFeature.getBooleanDetails(key, !darklaunch.boolVariation(key, dl, false), of);
                assertThat(details.getErrorCode()).as(key + " for " + person).isNull();
                assertThat(details.getValue()).as(key + " for " + person).isEqualTo(darklaunch.boolVariation(key, dl, false));
                assertThat(details.getVariant()).isEqualTo(String.valueOf(darklaunch.boolVariationDetail(key, dl, false).variationIndex()));
            }
            if (openFeature.getBooleanValue("rollout-30", false, of)) {
                rolledOut++;
            }
            assertThat(openFeature.getStringValue("banner", "none", of)).as(person.toString())
                    .isEqualTo(darklaunch.stringVariation("banner", dl, "none"));
            // OFREP carries no types (ADR 0003): a client reads a JSON integer as an integer and a
            // fraction as a float, so the stored 10 is read with getInteger and 0.15 with getDouble
            double discount = darklaunch.doubleVariation("discount", dl, -1.0);
            if (discount == Math.rint(discount)) {
                assertThat(openFeature.getIntegerValue("discount", -1, of)).as(person.toString())
                        .isEqualTo(darklaunch.intVariation("discount", dl, -1));
            } else {
                assertThat(openFeature.getDoubleValue("discount", -1.0, of)).as(person.toString()).isEqualTo(discount);
            }
            Value layout = openFeature.getObjectValue("layout", new Value("none"), of);
            JsonNode expected = darklaunch.jsonVariation("layout", dl, null);
            assertThat(layout.asStructure().getValue("columns").asInteger()).isEqualTo(expected.get("columns").asInt());
            assertThat(layout.asStructure().getValue("theme").asString()).isEqualTo(expected.get("theme").asText());
        }
        assertThat(rolledOut).as("30 % of 60").isBetween(8, 30);
        EvaluationContext norway = new Person("u", "NO", "free").openFeature();
        assertThat(openFeature.getBooleanDetails("by-country", false, norway).getReason()).isEqualTo("TARGETING_MATCH");
        assertThat(openFeature.getBooleanDetails("on-off", false, norway).getReason()).isEqualTo("STATIC");
        assertThat(openFeature.getBooleanDetails("disabled", true, norway).getReason()).isEqualTo("DISABLED");
    }

    @Test
    void a_missing_flag_is_flag_not_found_and_serves_the_default_as_the_sdk_does() {
        Person person = new Person("u", "NO", "free");
        FlagEvaluationDetails<Boolean> missing = openFeature.getBooleanDetails("no-such-flag", true, person.openFeature());
        assertThat(missing.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(missing.getValue()).isEqualTo(darklaunch.boolVariation("no-such-flag", person.darklaunch(), true)).isTrue();
    }

    @Test
    void a_flag_read_as_another_type_is_a_type_mismatch_with_the_default() {
        FlagEvaluationDetails<Boolean> mismatch = openFeature.getBooleanDetails("banner", true, new Person("u", "NO", "free").openFeature());
        assertThat(mismatch.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(mismatch.getValue()).isTrue();
    }

    @Test
    void a_context_without_targeting_key_is_refused_with_the_default() {
        FlagEvaluationDetails<Boolean> details = openFeature.getBooleanDetails("on-off", false,
                new ImmutableContext(Map.of("country", new Value("NO"))));
        assertThat(details.getErrorCode()).isNotNull();
        assertThat(details.getValue()).isFalse();
    }

    @Test
    void both_see_a_flip() {
        Person person = new Person("flip-user", "NO", "free");
        assertThat(openFeature.getBooleanValue("by-country", false, person.openFeature())).isTrue();
        assertThat(admin.post(OfrepFixture.P + "/flags/by-country/environments/production/off", null).status()).isEqualTo(200);
        try {
            Await.until(Duration.ofSeconds(10), "the OFREP client sees the flip",
                    () -> !openFeature.getBooleanValue("by-country", true, person.openFeature()));
            Await.until(Duration.ofSeconds(10), "the embedded SDK sees the flip",
                    () -> !darklaunch.boolVariation("by-country", person.darklaunch(), true));
            assertThat(openFeature.getBooleanDetails("by-country", true, person.openFeature()).getReason()).isEqualTo("DISABLED");
        } finally {
            given.toggle("by-country", "production", true);
            Await.until(Duration.ofSeconds(10), "the flag is back on",
                    () -> openFeature.getBooleanValue("by-country", false, person.openFeature())
                            && darklaunch.boolVariation("by-country", person.darklaunch(), false));
        }
    }
}
