package dev.darklaunch.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.internal.data.DataSink;
import dev.darklaunch.sdk.internal.data.DataSource;
import dev.darklaunch.sdk.internal.model.Clause;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.Lifecycle;
import dev.darklaunch.sdk.internal.model.ModelJson;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Operator;
import dev.darklaunch.sdk.internal.model.Rollout;
import dev.darklaunch.sdk.internal.model.Rule;
import dev.darklaunch.sdk.internal.model.Serve;
import dev.darklaunch.sdk.internal.model.Target;
import dev.darklaunch.sdk.internal.model.Variation;
import dev.darklaunch.sdk.internal.model.WeightedVariation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Flags for your application's tests, evaluated by the real evaluator — rules, targets and sticky
 * rollouts behave exactly as they will in production. Changes apply at once to every client made
 * by {@link #client()}.
 *
 * <pre>{@code
 * TestFlags flags = TestFlags.create();
 * flags.booleanFlag("new-checkout").on();
 * flags.booleanFlag("beta-banner").onWhen("country", "NO").onFor("user-1");
 * flags.booleanFlag("slow-rollout").percentage(25);
 * flags.stringFlag("theme", "light", "dark").serve("dark");
 * DarklaunchClient client = flags.client();
 * }</pre>
 */
public final class TestFlags {

    private final Map<String, FlagState> flags = new LinkedHashMap<>();
    private final List<DataSink> clients = new CopyOnWriteArrayList<>();
    private long revision;

    private TestFlags() {
    }

    public static TestFlags create() {
        return new TestFlags();
    }

    /** A client evaluating these flags. */
    public DarklaunchClient client() {
        return new DarklaunchClient(new DataSource() {
            private DataSink sink;

            @Override
            public void start(DataSink sink) {
                this.sink = sink;
                clients.add(sink);
                sink.apply(data());
            }

            @Override
            public void close() {
                clients.remove(sink);
            }
        });
    }

    /** The boolean flag with this key, created off (shipped dark) if it does not exist yet. */
    public synchronized BooleanFlag booleanFlag(String key) {
        FlagState state = flags.get(key);
        if (state == null) {
            state = new FlagState(Flag.ofBoolean(key, key));
            flags.put(key, state);
            publish(); // clients see the new flag, off, rather than FLAG_NOT_FOUND
        }
        if (state.flag.kind() != FlagKind.BOOLEAN) {
            throw new IllegalArgumentException(key + " is a " + state.flag.kind() + " flag");
        }
        return new BooleanFlag(state);
    }

    /** A string flag with these variations, created serving the first one. */
    public ValueFlag stringFlag(String key, String... variations) {
        return valueFlag(key, FlagKind.STRING, Arrays.asList((Object[]) variations));
    }

    /** A number flag with these variations, created serving the first one. */
    public ValueFlag numberFlag(String key, Number... variations) {
        return valueFlag(key, FlagKind.NUMBER, Arrays.asList((Object[]) variations));
    }

    /** A JSON flag with these variations (anything Jackson can write), created serving the first one. */
    public ValueFlag jsonFlag(String key, Object... variations) {
        return valueFlag(key, FlagKind.JSON, Arrays.asList(variations));
    }

    /**
     * Every client loses its connection to the server, as when the network fails: their status
     * turns {@link Status.State#STALE} (listeners are told) and they keep serving these flags.
     * Changes to the flags still reach them. {@link #reconnect()} ends it.
     */
    public void disconnect(String error) {
        clients.forEach(client -> client.failed(error, false));
    }

    /**
     * The server refuses every client's SDK token: their status turns {@link Status.State#ERROR}
     * and they keep serving these flags. {@link #reconnect()} ends it.
     */
    public void refuseToken() {
        clients.forEach(client -> client.failed("the server refused the SDK token (HTTP 401)", true));
    }

    /** Every client's connection works again: their status turns {@link Status.State#READY}. */
    public void reconnect() {
        clients.forEach(DataSink::healthy);
    }

    /** Removes a flag: clients then answer FLAG_NOT_FOUND with their defaults. */
    public synchronized void remove(String key) {
        flags.remove(key);
        publish();
    }

    private synchronized ValueFlag valueFlag(String key, FlagKind kind, List<Object> values) {
        List<Variation> variations = values.stream().map(v -> Variation.of(ModelJson.mapper().valueToTree(v))).toList();
        Flag flag = new Flag(key, key, null, kind, variations, List.of(), null, Lifecycle.TEMPORARY, false);
        ModelValidator.validateFlag(flag);
        FlagState state = new FlagState(flag);
        state.config = new FlagConfig(true, 0, List.of(), List.of(), Serve.ofVariation(0), List.of());
        flags.put(key, state);
        publish();
        return new ValueFlag(state);
    }

    private synchronized EnvironmentData data() {
        List<EnvironmentFlag> all = new ArrayList<>();
        flags.values().forEach(state -> all.add(new EnvironmentFlag(state.flag, state.config)));
        return new EnvironmentData(revision, all, List.of());
    }

    private synchronized void change(FlagState state, FlagConfig config) {
        ModelValidator.validateConfig(state.flag, config);
        state.config = config;
        publish();
    }

    private void publish() {
        revision++;
        EnvironmentData data = data();
        clients.forEach(client -> client.apply(data));
    }

    private static final class FlagState {
        final Flag flag;
        FlagConfig config;

        FlagState(Flag flag) {
            this.flag = flag;
            this.config = FlagConfig.off(flag);
        }

        int index(Object value) {
            // in the variations' canonical form (Variation copies it so), so that 10L inside a map finds 10
            JsonNode json = Variation.of(ModelJson.mapper().valueToTree(value)).value();
            for (int i = 0; i < flag.variations().size(); i++) {
                JsonNode candidate = flag.variations().get(i).value();
                if (candidate.equals(json) || (candidate.isNumber() && json.isNumber() && candidate.doubleValue() == json.doubleValue())) {
                    return i;
                }
            }
            throw new IllegalArgumentException(flag.key() + " has no variation " + value);
        }

        FlagConfig with(boolean on, List<Target> targets, List<Rule> rules, Serve fallthrough) {
            return new FlagConfig(on, config.offVariation(), targets, rules, fallthrough, config.prerequisites(), config.metadata());
        }

        List<Target> plusTarget(int variation, String... keys) {
            List<Target> targets = new ArrayList<>();
            List<String> added = List.of(keys);
            boolean merged = false;
            for (Target target : config.targets()) {
                List<String> rest = new ArrayList<>(target.values().stream().filter(k -> !added.contains(k)).toList());
                if (target.variation() == variation) {
                    rest.addAll(added);
                    merged = true;
                }
                if (!rest.isEmpty()) {
                    targets.add(new Target(target.variation(), rest));
                }
            }
            if (!merged) {
                targets.add(new Target(variation, added));
            }
            return targets;
        }

        List<Rule> plusRule(String attribute, Object[] values, int variation) {
            List<Rule> rules = new ArrayList<>(config.rules());
            List<JsonNode> json = Arrays.stream(values).map(v -> (JsonNode) ModelJson.mapper().valueToTree(v)).toList();
            rules.add(new Rule("rule-" + (rules.size() + 1), null,
                    List.of(new Clause(attribute, Operator.IN, json, false, false)), Serve.ofVariation(variation)));
            return rules;
        }
    }

    /** A boolean test flag. Each method applies at once and returns this flag for chaining. */
    public final class BooleanFlag {
        private final FlagState state;

        private BooleanFlag(FlagState state) {
            this.state = state;
        }

        /** On, serving {@code true} to everyone not targeted otherwise. */
        public BooleanFlag on() {
            change(state, state.with(true, state.config.targets(), state.config.rules(), Serve.ofVariation(state.index(true))));
            return this;
        }

        /** Off: everyone gets {@code false}. */
        public BooleanFlag off() {
            change(state, state.with(false, state.config.targets(), state.config.rules(), state.config.fallthrough()));
            return this;
        }

        /** Serves {@code true} to these context keys (and turns the flag on). */
        public BooleanFlag onFor(String... contextKeys) {
            change(state, state.with(true, state.plusTarget(state.index(true), contextKeys), state.config.rules(),
                    fallthroughOrFalse()));
            return this;
        }

        /** Serves {@code false} to these context keys (and turns the flag on). */
        public BooleanFlag offFor(String... contextKeys) {
            change(state, state.with(true, state.plusTarget(state.index(false), contextKeys), state.config.rules(),
                    fallthroughOrFalse()));
            return this;
        }

        /** Adds a rule: contexts whose attribute is one of the values get {@code true} (and turns the flag on). */
        public BooleanFlag onWhen(String attribute, Object... values) {
            change(state, state.with(true, state.config.targets(), state.plusRule(attribute, values, state.index(true)),
                    fallthroughOrFalse()));
            return this;
        }

        /** On for a sticky {@code percent} of contexts (by key), off for the rest; 0 to 100, in steps of 0.001. */
        public BooleanFlag percentage(double percent) {
            if (!(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("percent must be 0 to 100, got " + percent);
            }
            int weight = (int) Math.round(percent * Rollout.TOTAL_WEIGHT / 100);
            Rollout rollout = new Rollout(List.of(new WeightedVariation(state.index(true), weight),
                    new WeightedVariation(state.index(false), Rollout.TOTAL_WEIGHT - weight)), null, null);
            change(state, state.with(true, state.config.targets(), state.config.rules(), Serve.ofRollout(rollout)));
            return this;
        }

        private Serve fallthroughOrFalse() {
            return state.config.on() ? state.config.fallthrough() : Serve.ofVariation(state.index(false));
        }
    }

    /** A string, number or JSON test flag. Each method applies at once and returns this flag. */
    public final class ValueFlag {
        private final FlagState state;

        private ValueFlag(FlagState state) {
            this.state = state;
        }

        /** Serves this value to everyone not targeted otherwise. */
        public ValueFlag serve(Object value) {
            change(state, state.with(true, state.config.targets(), state.config.rules(), Serve.ofVariation(state.index(value))));
            return this;
        }

        /** Serves this value to these context keys. */
        public ValueFlag serveTo(Object value, String... contextKeys) {
            change(state, state.with(true, state.plusTarget(state.index(value), contextKeys), state.config.rules(),
                    state.config.fallthrough()));
            return this;
        }

        /** Adds a rule: contexts whose attribute is one of the values get {@code value}. */
        public ValueFlag serveWhen(Object value, String attribute, Object... values) {
            change(state, state.with(true, state.config.targets(), state.plusRule(attribute, values, state.index(value)),
                    state.config.fallthrough()));
            return this;
        }

        /** Off: everyone gets the first variation. */
        public ValueFlag off() {
            change(state, state.with(false, state.config.targets(), state.config.rules(), state.config.fallthrough()));
            return this;
        }
    }
}
