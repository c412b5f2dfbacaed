package dev.darklaunch.server.documents;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.Segment;
import dev.darklaunch.sdk.internal.model.SegmentConfig;
import dev.darklaunch.server.failures.Failure;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentFormatTest {

    private static final Flag FLAG = Flag.ofBoolean("checkout", "Checkout");
    private static final ProjectDocument DOCUMENT = new ProjectDocument(
            List.of(new ProjectDocument.FlagEntry(FLAG, Map.of("production", FlagConfig.off(FLAG).withOn(true),
                    "development", FlagConfig.off(FLAG)))),
            List.of(new ProjectDocument.SegmentEntry(new Segment("beta", "Beta", "yes"),
                    Map.of("production", new SegmentConfig(List.of("true", "1.0", "null"), List.of(), List.of())))));

    private static ProjectDocument read(String yaml) {
        return DocumentFormat.read(yaml.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void a_document_reads_back_as_written_in_yaml_and_json_with_environments_in_key_order() {
        byte[] yaml = DocumentFormat.write(DOCUMENT, true);
        assertThat(DocumentFormat.read(yaml, false)).isEqualTo(DOCUMENT);
        assertThat(DocumentFormat.read(DocumentFormat.write(DOCUMENT, false), true)).isEqualTo(DOCUMENT);
        String text = new String(yaml, StandardCharsets.UTF_8);
        assertThat(text.indexOf("development:")).isLessThan(text.indexOf("production:"));
        assertThat(DocumentFormat.write(DocumentFormat.read(yaml, false), true)).isEqualTo(yaml);
    }

    @Test
    void strings_that_look_like_other_scalars_stay_strings() {
        String text = new String(DocumentFormat.write(DOCUMENT, true), StandardCharsets.UTF_8);
        assertThat(read(text).segments().get(0).segment().description()).isEqualTo("yes");
        assertThat(read(text).segments().get(0).environments().get("production").included()).containsExactly("true", "1.0", "null");
    }

    @Test
    void refusals_name_the_path_in_the_document() {
        assertThatThrownBy(() -> read("flags:\n- key: a\n  name: A\n  kind: boolean\n  variations: [{value: true}, {value: false}]\n"
                + "  environments:\n    production: {on: maybe, offVariation: 1, fallthrough: {variation: 0}}\n"))
                .isInstanceOf(Failure.Invalid.class)
                .extracting(e -> ((Failure) e).field()).isEqualTo("flags[0].environments.production.on");
        assertThatThrownBy(() -> read("flags:\n- key: a\n  colour: red\n"))
                .extracting(e -> ((Failure) e).field()).isEqualTo("flags[0].colour");
        assertThatThrownBy(() -> read("projects: []\n")).extracting(e -> ((Failure) e).field()).isEqualTo("projects");
        assertThatThrownBy(() -> read("segments:\n- key: s\n  name: S\n- key: s\n  name: T\n"))
                .extracting(e -> ((Failure) e).field()).isEqualTo("segments[1].key");
    }

    @Test
    void hostile_yaml_is_refused() {
        assertThatThrownBy(() -> read("flags: !!java.net.URL [\"http://example.com\"]\n")).isInstanceOf(Failure.class);
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        assertThatThrownBy(() -> read(bomb.toString())).isInstanceOf(Failure.Invalid.class);
        assertThatThrownBy(() -> read("flags: " + "[".repeat(1000) + "]".repeat(1000))).isInstanceOf(Failure.Invalid.class);
        assertThatThrownBy(() -> read("k: 1\nk: 2\n")).isInstanceOf(Failure.Invalid.class);
        assertThatThrownBy(() -> DocumentFormat.read(new byte[DocumentFormat.MAX_BYTES + 1], false)).isInstanceOf(Failure.TooLarge.class);
        String tooMany = "flags:\n" + "- {}\n".repeat(DocumentFormat.MAX_FLAGS + 1);
        assertThatThrownBy(() -> read(tooMany)).isInstanceOf(Failure.TooLarge.class).hasMessageContaining("10000 flags");
    }
}
