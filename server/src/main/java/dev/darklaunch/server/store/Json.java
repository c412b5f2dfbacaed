package dev.darklaunch.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.darklaunch.sdk.internal.model.ModelJson;

/**
 * JSON in and out of jsonb columns, with the model's mapper. Values are written as text and cast
 * in SQL ({@code $1::text::jsonb}) so the driver never re-encodes them.
 */
public final class Json {

    /** The model's strict mapper, plus ISO-8601 times for the server's own records. */
    private static final ObjectMapper MAPPER = ModelJson.mapper().copy()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable: " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not match " + type.getSimpleName(), e);
        }
    }

    public static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not match " + type.getType(), e);
        }
    }

    /** An enum's JSON name, as stored in text columns. */
    public static String wire(Enum<?> value) {
        return MAPPER.convertValue(value, String.class);
    }

    public static <E extends Enum<E>> E fromWire(String value, Class<E> type) {
        return MAPPER.convertValue(value, type);
    }
}
