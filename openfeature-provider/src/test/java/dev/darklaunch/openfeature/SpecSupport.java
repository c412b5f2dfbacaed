package dev.darklaunch.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.openfeature.sdk.Value;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/** The package-private test helpers and conversions, for the Gherkin steps in the {@code spec} package. */
public final class SpecSupport {

    private SpecSupport() {
    }

    /** A flag server that never answers, and its clients. */
    public interface HeldServer extends AutoCloseable {
        DarklaunchClient client();
    }

    public static HeldServer heldServer() throws IOException {
        HeldFlagServer server = new HeldFlagServer();
        return new HeldServer() {
            @Override
            public DarklaunchClient client() {
                return server.client();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    public static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    public static Value toValue(JsonNode json) {
        return Values.toValue(json);
    }

    public static JsonNode toJson(Value value) {
        return Values.toJson(value);
    }
}
