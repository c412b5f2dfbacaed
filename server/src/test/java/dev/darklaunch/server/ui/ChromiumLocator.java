package dev.darklaunch.server.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the browser tests find the Chromium they drive, in this order:
 * <ol>
 *   <li>the one named by the system property {@value #PROPERTY} or, without it, the environment
 *       variable {@value #VARIABLE} (named but not executable is an error, never passed over);</li>
 *   <li>the first of {@link #COMMANDS} on the {@code PATH};</li>
 *   <li>the first of the usual install locations ({@link #USUAL_PATHS}) that exists;</li>
 *   <li>none: then Playwright's own managed Chromium, downloaded when it may be
 *       ({@link #mayDownload()}; see {@link Browser}).</li>
 * </ol>
 * Reads only what it is given (environment, system properties, candidate paths), so its order is
 * unit-tested with a fake {@code PATH} and temporary executables.
 */
final class ChromiumLocator {

    static final String VARIABLE = "DARKLAUNCH_CHROMIUM";
    static final String PROPERTY = "darklaunch.chromium";
    static final String SKIP_DOWNLOAD = "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD";
    /** Names a Chromium or Chrome goes by on Linux distributions, in order of preference. */
    static final List<String> COMMANDS = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    /** Where packages put it when it is not on the PATH (Linux, then macOS). */
    static final List<Path> USUAL_PATHS = List.of(
            Paths.get("/usr/bin/chromium"), Paths.get("/usr/bin/chromium-browser"), Paths.get("/usr/lib/chromium/chromium"),
            Paths.get("/snap/bin/chromium"), Paths.get("/usr/bin/google-chrome"), Paths.get("/opt/google/chrome/chrome"),
            Paths.get("/Applications/Chromium.app/Contents/MacOS/Chromium"),
            Paths.get("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"));

    /** The line a test run fails with when no browser can be had. */
    static final String NONE_FOUND = "No Chromium for the admin UI browser tests: install Chromium (Debian/Ubuntu: apt-get install chromium)"
            + " or Google Chrome, or set " + VARIABLE + " (or -D" + PROPERTY + ") to a Chromium/Chrome executable;"
            + " Playwright's own Chromium was not usable either (%s).";

    /** A Chromium on this machine, and how it was found (for messages). */
    record Found(Path executable, String how) {
    }

    /** No usable browser; its message is one line that says what to install or set. */
    static final class NoChromium extends IllegalStateException {
        NoChromium(String message) {
            super(message);
        }
    }

    private final Map<String, String> env;
    private final UnaryOperator<String> properties;
    private final List<Path> usualPaths;

    ChromiumLocator(Map<String, String> env, UnaryOperator<String> properties, List<Path> usualPaths) {
        this.env = Map.copyOf(env);
        this.properties = properties;
        this.usualPaths = List.copyOf(usualPaths);
    }

    static ChromiumLocator ofThisMachine() {
        return new ChromiumLocator(System.getenv(), System::getProperty, USUAL_PATHS);
    }

    /**
     * The machine's Chromium, or empty when there is none and Playwright's managed one is left.
     *
     * @throws NoChromium when one is named (property or variable) but is not an executable file
     */
    Optional<Found> systemChromium() {
        Optional<Found> named = named(PROPERTY, properties.apply(PROPERTY)).or(() -> named(VARIABLE, env.get(VARIABLE)));
        if (named.isPresent()) {
            return named;
        }
        for (String command : COMMANDS) {
            for (Path directory : pathDirectories()) {
                Path candidate = directory.resolve(command);
                if (isExecutableFile(candidate)) {
                    return Optional.of(new Found(candidate, command + " on the PATH"));
                }
            }
        }
        return usualPaths.stream().filter(ChromiumLocator::isExecutableFile).findFirst().map(path -> new Found(path, "a usual install location"));
    }

    /** Whether Playwright may download its own Chromium: as Playwright decides, unless told to skip. */
    boolean mayDownload() {
        String skip = env.get(SKIP_DOWNLOAD);
        return skip == null || skip.isBlank() || skip.equals("0") || skip.equalsIgnoreCase("false");
    }

    /** The one line to fail with when even Playwright's managed Chromium could not be had. */
    String noneFound(String why) {
        return NONE_FOUND.formatted(why.lines().findFirst().orElse(why).strip());
    }

    private Optional<Found> named(String name, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Paths.get(value.strip());
        } catch (InvalidPathException e) {
            throw new NoChromium(name + "=" + value + " is not a path to a Chromium/Chrome executable.");
        }
        if (!isExecutableFile(path)) {
            throw new NoChromium(name + "=" + value + " is not an executable file: point it to a Chromium/Chrome executable"
                    + " (Debian/Ubuntu: apt-get install chromium, then /usr/bin/chromium), or unset it to search the PATH.");
        }
        return Optional.of(new Found(path, name));
    }

    private List<Path> pathDirectories() {
        List<Path> directories = new ArrayList<>();
        String path = env.get("PATH");
        if (path == null) {
            return directories;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                directories.add(Paths.get(entry));
            } catch (InvalidPathException e) {
                // a PATH entry that is no path names no browser
            }
        }
        return directories;
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
