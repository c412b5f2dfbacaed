package dev.darklaunch.openfeature.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where OpenFeature's Gherkin files are: {@code shared/openfeature-spec} in the nearest
 * directory above the working directory that has one (the project's parent in a checkout or
 * CI clone), else {@code /work/shared}.
 */
final class SpecFiles {

    private SpecFiles() {
    }

    static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/openfeature-spec");
            if (Files.isRegularFile(candidate.resolve("test-flags.json"))) {
                return candidate;
            }
        }
        return Path.of("/work/shared/openfeature-spec");
    }
}
