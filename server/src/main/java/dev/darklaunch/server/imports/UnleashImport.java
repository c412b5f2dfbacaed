package dev.darklaunch.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.sdk.internal.model.EnvironmentSegment;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import dev.darklaunch.sdk.internal.model.Lifecycle;
import dev.darklaunch.sdk.internal.model.ModelValidator;
import dev.darklaunch.sdk.internal.model.Prerequisite;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.sdk.internal.model.Variation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Converts an Unleash client features payload ({@code {"version", "features", "segments"}}, as
 * Unleash serves it at {@code /api/client/features} for one environment, or a delta payload
 * {@code {"events"}} from {@code /api/client/delta}) into Darklaunch flags and segments for one
 * environment. Pure: it reads JSON and returns values; storing them is the caller's business.
 *
 * <p>The mapping:
 * <ul>
 *   <li><b>Feature → boolean flag</b> keyed by {@link UnleashNames#flagKey} (the Unleash name when
 *       it is a valid key), named by the Unleash name: {@code true} exactly when Unleash's
 *       {@code isEnabled} is. {@code enabled} is the flag's on switch; the off variation is
 *       {@code false}. The feature's type becomes a tag ({@code unleash-type:release}); kill
 *       switches, operational and permission flags are permanent, others temporary.
 *   <li><b>Strategies → rules.</b> Unleash enables a feature when any strategy matches (and
 *       when it has none). Each strategy becomes a rule serving {@code true} whose clauses are the
 *       strategy's condition ({@code userWithId}: {@code userId in […]}; {@code remoteAddress}:
 *       {@code remoteAddress inCidr […]}; {@code applicationHostname}: the attribute
 *       {@code hostname}), its constraints ({@link UnleashConstraints}) and a {@code segmentMatch}
 *       per segment. Rollouts ({@code flexibleRollout}, {@code gradualRollout*}) below 100 %
 *       serve a rollout with Unleash's own hash (salt the group id, seed 0, total 100), so every
 *       user keeps the bucket it had in Unleash; stickiness {@code default} buckets by the context
 *       key, any other field by that attribute, which the rule then requires to exist. Rules
 *       without a rollout come first and rollouts by decreasing percentage after them, which
 *       gives exactly Unleash's answer when the rollouts share group id and stickiness; rollouts
 *       that hash differently go through helper flags ({@link UnleashRules}). A strategy that
 *       cannot match (0 %, an unknown custom strategy, a missing segment, a constraint that is
 *       always false) is left out.
 *   <li><b>Variants → a JSON variant flag</b> {@code <key>.variants} whose values are Unleash's
 *       {@code getVariant} answers, see {@link UnleashVariants}. It has the boolean flag as
 *       prerequisite, so the feature's switch governs both. Features without variants have no
 *       variant flag: their answer is {@code disabled} with {@code feature_enabled} = the flag.
 *   <li><b>Dependencies → prerequisites</b> of the boolean flag, see {@link UnleashDependencies}.
 *   <li><b>Segments</b> → Darklaunch segments {@code unleash-segment-<id>}, see
 *       {@link UnleashSegments}.
 *   <li><b>Context</b>: see {@link UnleashContexts} for the context that evaluates imported flags
 *       as Unleash does.
 * </ul>
 * Flags the import derives from a feature are keyed after it: {@code <key>.variants},
 * {@code <key>.any-strategy} and {@code <key>.rollout-<n>-missed}, {@code <parent key>.disabled},
 * {@code <key>.requires-<n>} (with {@code -2}, {@code -3}… appended should a feature already have
 * that key). Where the model
 * cannot say exactly what Unleash does (random stickiness, which becomes sticky; the variant
 * choice after a rollout below 100 %; {@code applicationHostname}, which reads an attribute) the
 * result is the closest equivalent and {@link Result#warnings()} says so. Malformed input (a
 * feature without a name, a name twice, a wrong JSON type) fails with
 * {@link InvalidModelException} naming the input by its JSON path.
 */
public final class UnleashImport {

    /** Variation indexes of every boolean flag the importer makes. */
    static final int TRUE = 0;
    static final int FALSE = 1;
    static final String TAG = "unleash";
    private static final Pattern TAG_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._/-]{0,63}");
    private static final Set<String> PERMANENT_TYPES = Set.of("kill-switch", "operational", "permission");

    /** Something the import could only approximate; {@code feature} is null for segments. */
    public record Warning(String feature, String message) {
    }

    /** A segment's definition and its members in the imported environment. */
    public record ImportedSegment(Segment segment, SegmentConfig config) {
        public EnvironmentSegment inEnvironment() {
            return new EnvironmentSegment(segment.key(), config);
        }
    }

    /** Where an Unleash feature went: its boolean flag and, when it has variants, its variant flag. */
    public record ImportedFeature(String name, String flag, String variantFlag) {
    }

    /**
     * @param flags    every flag with its configuration: features, variant flags and helpers
     * @param segments every segment
     * @param features the flags of each Unleash feature, in payload order
     */
    public record Result(List<EnvironmentFlag> flags, List<ImportedSegment> segments, List<ImportedFeature> features,
                         List<Warning> warnings) {
        public EnvironmentData environmentData() {
            return new EnvironmentData(0, flags, segments.stream().map(ImportedSegment::inEnvironment).toList());
        }
    }

    /** Flag keys in use, so that derived keys never take a feature's key. */
    static final class KeySpace {
        private final Set<String> used = new HashSet<>();

        boolean reserve(String key) {
            return used.add(key);
        }

        /** {@code wanted}, or when taken a deterministic variant of it. */
        String claim(String wanted) {
            String key = wanted;
            for (int n = 2; !used.add(key); n++) {
                key = UnleashNames.derived(wanted, "-" + n);
            }
            return key;
        }
    }

    private UnleashImport() {
    }

    /**
     * @throws InvalidModelException if the payload is not an Unleash features or delta payload,
     *     or converts to something Darklaunch cannot store (its field names the input)
     */
    public static Result convert(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new InvalidModelException("", "an Unleash payload is a JSON object with \"features\" (or delta \"events\")");
        }
        JsonNode state = UnleashDelta.isDelta(payload) ? UnleashDelta.fold(payload) : payload;
        if (!state.has("features")) {
            throw new InvalidModelException("features", "is required: the features of an Unleash client payload");
        }
        List<Warning> warnings = new ArrayList<>();
        UnleashSegments.Converted segments = UnleashSegments.convert(UnleashInput.objects(state, "segments", ""), warnings::add);
        List<JsonNode> features = UnleashInput.objects(state, "features", "");
        KeySpace keys = featureKeys(features);
        HelperFlags helpers = new HelperFlags(keys);
        List<Draft> drafts = new ArrayList<>();
        Map<String, UnleashDependencies.Feature> byName = new HashMap<>();
        for (int i = 0; i < features.size(); i++) {
            Draft draft = draft(features.get(i), "features[" + i + "]", segments.keys(), keys, helpers, warnings);
            drafts.add(draft);
            byName.put(draft.info().name(), draft.info());
        }
        // dependencies last: they need every feature's key and variant values
        List<EnvironmentFlag> flags = new ArrayList<>();
        for (Draft draft : drafts) {
            List<Prerequisite> prerequisites = UnleashDependencies.prerequisites(draft.json(), draft.info(), draft.path(), byName,
                    helpers, message -> warnings.add(new Warning(draft.info().name(), message)));
            flags.add(new EnvironmentFlag(draft.flag(), prerequisites == null ? UnleashRules.never(draft.config())
                    : UnleashRules.withPrerequisites(draft.config(), prerequisites)));
            if (draft.variants() != null) {
                flags.add(draft.variants());
            }
        }
        flags.addAll(helpers.created());
        List<ImportedFeature> imported = drafts.stream()
                .map(d -> new ImportedFeature(d.info().name(), d.info().key(), d.info().variantKey())).toList();
        validate(flags, imported);
        // the same approximation may be noted once per rule that has it
        return new Result(List.copyOf(flags), segments.segments(), imported, List.copyOf(new LinkedHashSet<>(warnings)));
    }

    /** A feature converted but for its dependencies. */
    private record Draft(JsonNode json, String path, Flag flag, FlagConfig config, EnvironmentFlag variants,
                         UnleashDependencies.Feature info) {
    }

    private static KeySpace featureKeys(List<JsonNode> features) {
        KeySpace keys = new KeySpace();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            String name = UnleashInput.text(features.get(i), "name", "features[" + i + "]");
            if (!names.add(name)) {
                throw new InvalidModelException("features[" + i + "].name", "feature '" + name + "' is listed twice");
            }
            if (!keys.reserve(UnleashNames.flagKey(name))) {
                throw new InvalidModelException("features[" + i + "].name", "'" + name + "' maps to key '"
                        + UnleashNames.flagKey(name) + "', which another feature has");
            }
        }
        return keys;
    }

    private static Draft draft(JsonNode feature, String path, Map<Integer, String> segmentKeys, KeySpace keys, HelperFlags helpers,
                               List<Warning> warnings) {
        String name = feature.get("name").textValue();
        String key = UnleashNames.flagKey(name);
        Consumer<String> warn = message -> warnings.add(new Warning(name, message));
        List<UnleashStrategies.Plan> plans = new ArrayList<>();
        List<JsonNode> strategies = UnleashInput.objects(feature, "strategies", path);
        for (int s = 0; s < strategies.size(); s++) {
            UnleashStrategies.Plan plan = UnleashStrategies.translate(strategies.get(s), s, name, segmentKeys,
                    path + ".strategies[" + s + "]", warn);
            if (plan != null) {
                plans.add(plan);
            }
        }
        String type = UnleashInput.optionalText(feature, "type", path);
        List<String> tags = new ArrayList<>(List.of(TAG));
        if (type != null && TAG_SYNTAX.matcher("unleash-type:" + type).matches()) {
            tags.add("unleash-type:" + type);
        }
        Lifecycle lifecycle = type != null && PERMANENT_TYPES.contains(type) ? Lifecycle.PERMANENT : Lifecycle.TEMPORARY;
        Flag flag = booleanFlag(key, name, shortened(UnleashInput.optionalText(feature, "description", path),
                ModelValidator.MAX_DESCRIPTION_LENGTH), tags, lifecycle);
        FlagConfig config = UnleashRules.enabledConfig(UnleashInput.bool(feature, "enabled", path, false), strategies.isEmpty(),
                plans, key, helpers);

        List<Variation> values = new ArrayList<>();
        FlagConfig variantConfig = UnleashVariants.configure(key, plans, UnleashVariants.featureVariants(feature, name, path),
                values, warn);
        EnvironmentFlag variants = null;
        if (variantConfig != null) {
            List<String> variantTags = new ArrayList<>(tags);
            variantTags.add("unleash-variants");
            String variantKey = keys.claim(UnleashNames.derived(key, ".variants"));
            variants = new EnvironmentFlag(new Flag(variantKey, shortened(name + " (variants)", ModelValidator.MAX_NAME_LENGTH),
                    "The answer of Unleash's getVariant for this feature: {name, payload, enabled, feature_enabled}. "
                            + "It follows the flag " + key + " through a prerequisite.",
                    FlagKind.JSON, values, variantTags, null, lifecycle, false), variantConfig);
        }
        boolean dependent = !UnleashInput.objects(feature, "dependencies", path).isEmpty();
        return new Draft(feature, path, flag, config, variants, new UnleashDependencies.Feature(name, key, dependent,
                variants == null ? null : variants.flag().key(), List.copyOf(values)));
    }

    /** A boolean flag with variations {@code true} (index {@link #TRUE}) and {@code false}. */
    static Flag booleanFlag(String key, String name, String description, List<String> tags, Lifecycle lifecycle) {
        return new Flag(key, shortened(name, ModelValidator.MAX_NAME_LENGTH), description, FlagKind.BOOLEAN,
                List.of(new Variation(BooleanNode.TRUE, null, null), new Variation(BooleanNode.FALSE, null, null)),
                tags, null, lifecycle, false);
    }

    static String shortened(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Checks every flag as the server would, naming the Unleash feature a problem comes from. */
    private static void validate(List<EnvironmentFlag> flags, List<ImportedFeature> features) {
        for (EnvironmentFlag flag : flags) {
            try {
                ModelValidator.validateFlag(flag.flag());
                ModelValidator.validateConfig(flag.flag(), flag.config());
            } catch (InvalidModelException e) {
                int index = -1;
                for (int i = 0; i < features.size(); i++) {
                    ImportedFeature feature = features.get(i);
                    if (flag.flag().key().equals(feature.flag()) || flag.flag().key().equals(feature.variantFlag())) {
                        index = i;
                    }
                }
                throw new InvalidModelException(index < 0 ? "features" : "features[" + index + "]",
                        "cannot be imported: flag '" + flag.flag().key() + "' would be invalid: " + e.field() + ": " + e.getMessage());
            }
        }
    }
}
