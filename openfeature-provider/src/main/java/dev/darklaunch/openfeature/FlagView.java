package dev.darklaunch.openfeature;

import dev.darklaunch.sdk.EvaluationDetail;
import dev.darklaunch.sdk.FlagFacts;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One flag as the provider reports it: its metadata in OpenFeature's form, and the answers already
 * given, by the SDK's evaluation detail. The SDK builds every detail a flag can serve in advance,
 * so the same detail object means the same answer: reusing the answer built for it the first time
 * keeps the provider from allocating on the evaluation path. A new {@link FlagFacts} (the flag
 * changed) gets a new view.
 */
final class FlagView {

    /** Answers kept per flag and type; a flag with more distinct outcomes than this builds the rest per call. */
    private static final int MAX_ANSWERS = 256;

    final FlagFacts facts;
    final ImmutableMetadata metadata;
    // copy-on-write: readers look up without locking; identity, because equal details of one
    // flag are the same answer anyway and identity costs no hashing of values
    // by OpenFeature type: one detail of a number flag answers as Integer, Long and Double
    private final AtomicReferenceArray<Map<EvaluationDetail<?>, ProviderEvaluation<?>>> answers;

    FlagView(FlagFacts facts, int types) {
        this.facts = facts;
        this.answers = new AtomicReferenceArray<>(types);
        for (int i = 0; i < types; i++) {
            answers.set(i, Map.of());
        }
        this.metadata = metadata(facts.metadata());
    }

    /** The answer of OpenFeature type number {@code type} already built for {@code detail}, or null. */
    @SuppressWarnings("unchecked")
    <T> ProviderEvaluation<T> known(int type, EvaluationDetail<?> detail) {
        return (ProviderEvaluation<T>) answers.get(type).get(detail);
    }

    /** Keeps {@code answer}, built for {@code detail} (the SDK's, served a variation), and returns it. */
    <T> ProviderEvaluation<T> remember(int type, EvaluationDetail<?> detail, ProviderEvaluation<T> answer) {
        synchronized (this) {
            if (answers.get(type).size() < MAX_ANSWERS) {
                Map<EvaluationDetail<?>, ProviderEvaluation<?>> more = new IdentityHashMap<>(answers.get(type));
                more.put(detail, answer);
                answers.set(type, more);
            }
        }
        return answer;
    }

    private static ImmutableMetadata metadata(Map<String, Object> values) {
        if (values.isEmpty()) {
            return ImmutableMetadata.EMPTY;
        }
        ImmutableMetadata.ImmutableMetadataBuilder builder = ImmutableMetadata.builder();
        values.forEach((name, value) -> {
            if (value instanceof String s) {
                builder.addString(name, s);
            } else if (value instanceof Boolean b) {
                builder.addBoolean(name, b);
            } else if (value instanceof Integer i) {
                builder.addInteger(name, i);
            } else if (value instanceof Long l) {
                builder.addLong(name, l);
            } else if (value instanceof Double d) {
                builder.addDouble(name, d);
            }
        });
        return builder.build();
    }
}
