package dev.darklaunch.server.flags;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagKind;
import dev.darklaunch.sdk.internal.model.Lifecycle;
import dev.darklaunch.sdk.internal.model.Variation;
import dev.darklaunch.server.store.Json;
import io.vertx.sqlclient.Row;

import java.util.Arrays;
import java.util.List;

/** Reads a flag definition from a row of the {@code flags} table (variations selected as text). */
public final class FlagRows {

    /** The columns {@link #flag(Row)} reads, for a {@code flags f} in the query. */
    public static final String COLUMNS = """
            f.key, f.name, f.description, f.kind, f.variations::text AS variations, f.tags, f.owner, f.lifecycle, f.archived, f.client_side""";
    private static final TypeReference<List<Variation>> VARIATIONS = new TypeReference<>() {
    };

    private FlagRows() {
    }

    public static Flag flag(Row row) {
        return new Flag(row.getString("key"), row.getString("name"), row.getString("description"),
                Json.fromWire(row.getString("kind"), FlagKind.class), Json.read(row.getString("variations"), VARIATIONS),
                Arrays.asList(row.getArrayOfStrings("tags")), row.getString("owner"),
                Json.fromWire(row.getString("lifecycle"), Lifecycle.class), row.getBoolean("archived"),
                row.getBoolean("client_side"));
    }
}
