package dev.darklaunch.openfeature.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.openfeature.DarklaunchProvider;
import dev.darklaunch.openfeature.SpecSupport;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.TestFlags;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.FlagEvaluationOptions;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.HookContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The steps of OpenFeature's Gherkin suite, written for this project. Each scenario binds its own
 * provider to its own OpenFeature domain, over a real Darklaunch client: the fixture's flags in an
 * offline client for a stable provider; a client whose server has not answered yet (not ready);
 * an offline client without data (fatal); test flags whose connection is lost (stale) or whose
 * token is refused (error).
 */
public class SpecSteps {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE_DATA = fixtureData();

    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private final String domain = "spec-" + UUID.randomUUID();
    private final Client client = api.getClient(domain);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, Value> attributes = new HashMap<>();
    private final List<String> hookCalls = new CopyOnWriteArrayList<>();
    private DarklaunchProvider provider;
    private String type;
    private String key;
    private Object defaultValue;
    private FlagEvaluationOptions options;
    private CompletableFuture<FlagEvaluationDetails<?>> pending;
    private FlagEvaluationDetails<?> details;

    private static String fixtureData() {
        try {
            return SpecFixture.darklaunchData(SpecFiles.folder().resolve("test-flags.json"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read OpenFeature's test-flags.json", e);
        }
    }

    @After
    public void cleanUp() throws Exception {
        if (provider != null) {
            provider.shutdown();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private void use(DarklaunchClient darklaunch, Duration readyTimeout, boolean wait) {
        resources.add(0, darklaunch);
        if (provider != null) {
            provider.shutdown();
        }
        provider = new DarklaunchProvider(darklaunch, readyTimeout);
        if (!wait) {
            api.setProvider(domain, provider);
            return;
        }
        try {
            api.setProviderAndWait(domain, provider);
        } catch (RuntimeException expected) {
            // a provider that cannot start: the scenario checks the state it leaves
        }
    }

    @Given("a stable provider")
    public void aStableProvider() {
        use(DarklaunchClient.create(DarklaunchConfig.builder().offline().bootstrap(FIXTURE_DATA).build()),
                DarklaunchProvider.DEFAULT_READY_TIMEOUT, true);
        assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
    }

    @Given("a not ready provider")
    public void aNotReadyProvider() throws Exception {
        SpecSupport.HeldServer server = SpecSupport.heldServer();
        resources.add(server);
        use(server.client(), Duration.ofMinutes(1), false); // initialize waits for data that does not come
    }

    @Given("a fatal provider")
    public void aFatalProvider() {
        use(DarklaunchClient.create(DarklaunchConfig.builder().offline().build()), DarklaunchProvider.DEFAULT_READY_TIMEOUT, true);
    }

    @Given("a error provider")
    public void anErrorProvider() {
        TestFlags flags = TestFlags.create();
        use(flags.client(), DarklaunchProvider.DEFAULT_READY_TIMEOUT, true);
        flags.refuseToken();
        SpecSupport.await("ERROR", () -> client.getProviderState() == ProviderState.ERROR);
    }

    @Given("a stale provider")
    public void aStaleProvider() {
        TestFlags flags = TestFlags.create();
        use(flags.client(), DarklaunchProvider.DEFAULT_READY_TIMEOUT, true);
        flags.disconnect("network down");
        SpecSupport.await("STALE", () -> client.getProviderState() == ProviderState.STALE);
    }

    @Given("a(n) {word}-flag with key {string} and a fallback value {string}")
    public void aFlag(String type, String key, String fallback) throws Exception {
        this.type = type;
        this.key = key;
        this.defaultValue = parse(type, fallback);
    }

    @Given("a context containing a key {string}, with type {string} and with value {string}")
    public void aContextValue(String name, String valueType, String value) throws Exception {
        attributes.put(name, switch (valueType) {
            case "Boolean" -> new Value(Boolean.parseBoolean(value));
            case "Integer" -> new Value(Integer.parseInt(value));
            case "Float" -> new Value(Double.parseDouble(value));
            case "String" -> new Value(value);
            default -> throw new IllegalArgumentException("no context type " + valueType);
        });
    }

    @Given("a context containing a key {string} with null value")
    public void aNullContextValue(String name) {
        attributes.put(name, new Value());
    }

    @Given("evaluation options containing specific hooks")
    public void evaluationOptionsWithHooks() {
        options = FlagEvaluationOptions.builder().hook(recording("first")).hook(recording("second")).build();
    }

    @When("the flag was evaluated with details")
    public void evaluated() {
        details = evaluate(FlagEvaluationOptions.builder().build());
    }

    @When("the flag was evaluated with details using the evaluation options")
    public void evaluatedWithOptions() {
        details = evaluate(options);
    }

    @When("the flag was evaluated with details asynchronously")
    public void evaluatedAsynchronously() {
        pending = CompletableFuture.supplyAsync(() -> evaluate(FlagEvaluationOptions.builder().build()));
    }

    @Then("the evaluation should complete without blocking")
    public void completesWithoutBlocking() throws Exception {
        details = pending.get(10, TimeUnit.SECONDS);
    }

    @Then("the resolved details value should be {string}")
    public void theValue(String expected) throws Exception {
        Object wanted = parse(type, expected);
        if (wanted instanceof Value value) {
            assertThat(json((Value) details.getValue())).isEqualTo(json(value));
        } else {
            assertThat(details.getValue()).isEqualTo(wanted);
        }
    }

    @Then("the reason should be {string}")
    public void theReason(String reason) {
        assertThat(details.getReason()).isEqualTo(reason);
    }

    @Then("the error-code should be {string}")
    public void theErrorCode(String code) {
        assertThat(details.getErrorCode()).isNotNull();
        assertThat(details.getErrorCode().name()).isEqualTo(code);
    }

    @Then("the flag key should be {string}")
    public void theFlagKey(String expected) {
        assertThat(details.getFlagKey()).isEqualTo(expected);
    }

    @Then("the variant should be {string}")
    public void theVariant(String variant) {
        assertThat(details.getVariant()).isEqualTo(variant);
    }

    @Then("the resolved metadata should contain")
    public void theMetadataContains(DataTable table) {
        ImmutableMetadata metadata = details.getFlagMetadata();
        for (Map<String, String> row : table.asMaps()) {
            String name = row.get("key");
            switch (row.get("metadata_type")) {
                case "String" -> assertThat(metadata.getString(name)).isEqualTo(row.get("value"));
                case "Integer" -> assertThat(metadata.getInteger(name)).isEqualTo(Integer.parseInt(row.get("value")));
                // OpenFeature's "float" is Java's double, as in the SDK's getDoubleValue
                case "Float" -> assertThat(metadata.getDouble(name)).isEqualTo(Double.parseDouble(row.get("value")));
                case "Boolean" -> assertThat(metadata.getBoolean(name)).isEqualTo(Boolean.parseBoolean(row.get("value")));
                default -> throw new IllegalArgumentException("no metadata type " + row.get("metadata_type"));
            }
        }
    }

    @Then("the resolved metadata is empty")
    public void theMetadataIsEmpty() {
        assertThat(details.getFlagMetadata().isEmpty()).isTrue();
    }

    @Then("the provider status should be {string}")
    public void theProviderStatus(String status) {
        assertThat(client.getProviderState()).isEqualTo(ProviderState.valueOf(status));
    }

    @Then("the specified hooks should execute during evaluation")
    public void theHooksRan() {
        assertThat(hookCalls).contains("first.before", "second.before", "first.after", "second.after",
                "first.finally", "second.finally");
        assertThat(hookCalls).noneMatch(call -> call.endsWith(".error"));
    }

    @Then("the hook order should be maintained")
    public void theHookOrder() {
        // OpenFeature spec 4.4.2: hooks unwind like a stack, "after" and "finally" in the reverse
        // order of "before"; every stage ends before the next begins. (Within one level — here
        // two invocation hooks — the spec fixes no order, and the Java SDK runs "before" last-first.)
        List<String> before = stage(".before");
        assertThat(before).hasSize(2);
        List<String> reversed = new ArrayList<>(before);
        java.util.Collections.reverse(reversed);
        assertThat(stage(".after")).isEqualTo(reversed);
        assertThat(stage(".finally")).isEqualTo(reversed);
        assertThat(hookCalls.subList(0, 2)).allMatch(call -> call.endsWith(".before"));
        assertThat(hookCalls.subList(2, 4)).allMatch(call -> call.endsWith(".after"));
    }

    /** The hooks' names, in the order they ran the stage ending in {@code suffix}. */
    private List<String> stage(String suffix) {
        return hookCalls.stream().filter(call -> call.endsWith(suffix)).map(call -> call.substring(0, call.indexOf('.'))).toList();
    }

    private FlagEvaluationDetails<?> evaluate(FlagEvaluationOptions evaluationOptions) {
        ImmutableContext context = new ImmutableContext(attributes);
        return switch (type) {
            case "Boolean" -> client.getBooleanDetails(key, (Boolean) defaultValue, context, evaluationOptions);
            case "String" -> client.getStringDetails(key, (String) defaultValue, context, evaluationOptions);
            case "Integer" -> client.getIntegerDetails(key, (Integer) defaultValue, context, evaluationOptions);
            case "Float" -> client.getDoubleDetails(key, (Double) defaultValue, context, evaluationOptions);
            case "Object" -> client.getObjectDetails(key, (Value) defaultValue, context, evaluationOptions);
            default -> throw new IllegalArgumentException("no flag type " + type);
        };
    }

    private static Object parse(String type, String text) throws Exception {
        return switch (type) {
            case "Boolean" -> Boolean.parseBoolean(text);
            case "String" -> text;
            case "Integer" -> Integer.parseInt(text);
            case "Float" -> Double.parseDouble(text);
            // Gherkin keeps the backslashes of the tables' \" as they are
            case "Object" -> SpecSupport.toValue(JSON.readTree(text.replace("\\\"", "\"")));
            default -> throw new IllegalArgumentException("no flag type " + type);
        };
    }

    private static JsonNode json(Value value) {
        return SpecSupport.toJson(value);
    }

    private Hook<Object> recording(String name) {
        return new Hook<>() {
            @Override
            public Optional<dev.openfeature.sdk.EvaluationContext> before(HookContext<Object> ctx, Map<String, Object> hints) {
                hookCalls.add(name + ".before");
                return Optional.empty();
            }

            @Override
            public void after(HookContext<Object> ctx, FlagEvaluationDetails<Object> details, Map<String, Object> hints) {
                hookCalls.add(name + ".after");
            }

            @Override
            public void error(HookContext<Object> ctx, Exception error, Map<String, Object> hints) {
                hookCalls.add(name + ".error");
            }

            @Override
            public void finallyAfter(HookContext<Object> ctx, FlagEvaluationDetails<Object> details, Map<String, Object> hints) {
                hookCalls.add(name + ".finally");
            }
        };
    }
}
