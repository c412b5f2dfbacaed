package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * The JSON mapping of the model: one shared, strictly configured {@link ObjectMapper}.
 *
 * <p>Reading is strict, because what it reads comes from API clients: unknown properties,
 * trailing content, duplicate keys, {@code null} for a primitive or inside a list, numbers for
 * enums, fractions for integers and scalar coercions (such as {@code "1"} for an int, or {@code 1}
 * for a string) all fail. Nesting is limited to {@value #MAX_NESTING_DEPTH} levels and strings
 * to {@value #MAX_STRING_LENGTH} characters. Polymorphic (default) typing is never enabled.
 *
 * <p>Reading does not validate: run {@link ModelValidator} on what it returns.
 */
public final class ModelJson {
    /** The deepest nesting of arrays and objects a document may have. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** The longest string value or property name a document may have, in characters. */
    public static final int MAX_STRING_LENGTH = 1_000_000;

    private static final ObjectMapper MAPPER = newMapper();
    private static final ObjectMapper FEED_MAPPER = MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelJson() {}

    /**
     * The mapper for data an SDK reads from a server (the feed, a backup of it, bootstrap data):
     * as strict as {@link #mapper()} except that unknown properties are ignored, so a server may
     * add to the feed without older SDKs rejecting it (unknown operators already read as
     * {@link Operator#UNKNOWN} and never match).
     */
    public static ObjectMapper feedMapper() {
        return FEED_MAPPER;
    }

    /**
     * The shared mapper. It is thread-safe; do not reconfigure it (use {@code mapper().copy()}
     * for a variant).
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_STRING_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(new SimpleModule("darklaunch-model")
                        .addDeserializer(boolean.class, new AbsentAsFalse()))
                .build();
    }

    /**
     * Reads a JSON boolean, so that an absent boolean property means {@code false} while an
     * explicit {@code null} still fails: Jackson's FAIL_ON_NULL_FOR_PRIMITIVES alone would also
     * reject the absent one.
     */
    private static final class AbsentAsFalse extends StdDeserializer<Boolean> {
        AbsentAsFalse() {
            super(boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_TRUE) {
                return Boolean.TRUE;
            }
            if (parser.currentToken() == JsonToken.VALUE_FALSE) {
                return Boolean.FALSE;
            }
            return (Boolean) context.handleUnexpectedToken(boolean.class, parser);
        }

        @Override
        public Boolean getNullValue(DeserializationContext context) throws JsonMappingException {
            return context.reportInputMismatch(this, "null is not a boolean; use true or false, or leave the property out for false");
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return Boolean.FALSE;
        }
    }
}
