package dev.darklaunch.server.ui;

import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The order in which the browser tests look for Chromium, on a fake PATH of temporary
 * "executables" (no browser is started): a named one, then the PATH, then usual locations, then
 * Playwright's managed browser; and the one line they fail with when there is none.
 */
class ChromiumLocatorTest {

    @TempDir
    Path dir;

    @Test
    void the_system_property_comes_first_then_the_variable() throws IOException {
        Path property = executable("by-property/chrome");
        Path variable = executable("by-variable/chromium");
        Path onPath = executable("bin/chromium");
        Map<String, String> env = Map.of(ChromiumLocator.VARIABLE, variable.toString(), "PATH", onPath.getParent().toString());

        assertThat(locator(env, property.toString(), List.of()).systemChromium())
                .contains(new ChromiumLocator.Found(property, ChromiumLocator.PROPERTY));
        assertThat(locator(env, null, List.of()).systemChromium())
                .contains(new ChromiumLocator.Found(variable, ChromiumLocator.VARIABLE));
    }

    @Test
    void a_named_browser_that_is_not_executable_is_an_error_not_skipped() throws IOException {
        Path notExecutable = Files.createFile(dir.resolve("chromium.txt"));
        executable("bin/chromium");
        Map<String, String> env = Map.of(ChromiumLocator.VARIABLE, notExecutable.toString(), "PATH", dir.resolve("bin").toString());

        assertThatThrownBy(() -> locator(env, null, List.of()).systemChromium())
                .isInstanceOf(ChromiumLocator.NoChromium.class)
                .hasMessageStartingWith(ChromiumLocator.VARIABLE + "=" + notExecutable + " is not an executable file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> locator(Map.of(), dir.resolve("missing").toString(), List.of()).systemChromium())
                .hasMessageStartingWith(ChromiumLocator.PROPERTY + "=");
    }

    @Test
    void on_the_path_the_names_are_tried_in_order_each_along_the_path() throws IOException {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path googleChrome = executable("first/google-chrome");
        executable("second/chromium-browser");
        Files.createFile(dir.resolve("first/chromium")); // not executable: passed over
        Files.createDirectories(dir.resolve("second/chromium")); // a directory: passed over
        String path = String.join(File.pathSeparator, "", first.toString(), dir.resolve("second").toString(), dir.resolve("absent").toString());

        Optional<ChromiumLocator.Found> found = locator(Map.of("PATH", path), null, List.of(executable("usual/chromium"))).systemChromium();

        assertThat(found).contains(new ChromiumLocator.Found(dir.resolve("second/chromium-browser"), "chromium-browser on the PATH"));
        assertThat(locator(Map.of("PATH", first.toString()), null, List.of()).systemChromium())
                .contains(new ChromiumLocator.Found(googleChrome, "google-chrome on the PATH"));
        Path stable = executable("third/google-chrome-stable");
        assertThat(locator(Map.of("PATH", stable.getParent().toString()), null, List.of()).systemChromium())
                .map(ChromiumLocator.Found::executable).contains(stable);
    }

    @Test
    void with_nothing_on_the_path_the_usual_locations_are_tried_in_order() throws IOException {
        Path missing = dir.resolve("usual/missing");
        Path usual = executable("usual/chrome");
        Path later = executable("later/chromium");
        executable("elsewhere/chrome"); // a Chrome not named "chromium" etc. on the PATH is not taken
        Map<String, String> env = Map.of("PATH", dir.resolve("elsewhere").toString());

        assertThat(locator(env, null, List.of(missing, usual, later)).systemChromium())
                .contains(new ChromiumLocator.Found(usual, "a usual install location"));
        assertThat(locator(Map.of(), null, List.of(missing)).systemChromium()).isEmpty();
    }

    @Test
    void playwrights_own_browser_is_downloaded_unless_playwright_is_told_not_to() {
        assertThat(locator(Map.of(), null, List.of()).mayDownload()).isTrue();
        assertThat(locator(Map.of(ChromiumLocator.SKIP_DOWNLOAD, "0"), null, List.of()).mayDownload()).isTrue();
        assertThat(locator(Map.of(ChromiumLocator.SKIP_DOWNLOAD, "false"), null, List.of()).mayDownload()).isTrue();
        assertThat(locator(Map.of(ChromiumLocator.SKIP_DOWNLOAD, "1"), null, List.of()).mayDownload()).isFalse();
        assertThat(locator(Map.of(ChromiumLocator.SKIP_DOWNLOAD, "true"), null, List.of()).mayDownload()).isFalse();
    }

    /**
     * The last resort fails fast with one line when Playwright has no Chromium of its own and may
     * not download one: Playwright's driver runs, no browser does (its browser cache is empty).
     */
    @Test
    void with_no_browser_anywhere_the_tests_fail_with_one_line_saying_what_to_install_or_set() throws IOException {
        Path emptyCache = Files.createDirectories(dir.resolve("ms-playwright"));
        ChromiumLocator nothing = locator(Map.of("PATH", dir.resolve("empty").toString(), ChromiumLocator.SKIP_DOWNLOAD, "1"), null, List.of());
        assertThat(nothing.systemChromium()).isEmpty();

        Map<String, String> playwrightEnv = new HashMap<>(Map.of(ChromiumLocator.SKIP_DOWNLOAD, "1", "PLAYWRIGHT_BROWSERS_PATH", emptyCache.toString()));
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(playwrightEnv))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> Browser.launchManaged(playwright, nothing))
                    .isInstanceOf(ChromiumLocator.NoChromium.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .doesNotContain("\n")
                            .contains("apt-get install chromium", ChromiumLocator.VARIABLE, "-D" + ChromiumLocator.PROPERTY,
                                    ChromiumLocator.SKIP_DOWNLOAD + " forbids downloading it"));
            assertThat((System.nanoTime() - start) / 1_000_000_000).as("seconds to give up").isLessThan(60);
        }
    }

    private ChromiumLocator locator(Map<String, String> env, String property, List<Path> usual) {
        return new ChromiumLocator(env, name -> ChromiumLocator.PROPERTY.equals(name) ? property : null, usual);
    }

    private Path executable(String relative) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
