package dev.darklaunch.server.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.impl.driver.Driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * One headless Chromium for a test class, and fresh pages in their own contexts (cookie jars) for
 * each test. The browser is the machine's own when {@link ChromiumLocator} finds one; otherwise
 * Playwright's managed Chromium, downloaded once if it is missing and may be (the last resort: a
 * failed download fails fast, with one line that says what to install or set).
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking");
    /** How long a download of Playwright's Chromium may take before it counts as failed. */
    private static final Duration DOWNLOAD_LIMIT = Duration.ofMinutes(5);
    /** Why the managed Chromium could not be had, once known: later test classes fail at once. */
    private static volatile String managedUnavailable;

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final String base;

    Browser(String base) {
        this.base = base;
        // auto-waiting assertions; generous for a slow shared machine, they return as soon as they hold
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        ChromiumLocator locator = ChromiumLocator.ofThisMachine();
        Optional<ChromiumLocator.Found> found = locator.systemChromium();
        // Playwright would download every browser it supports at creation; this class fetches only Chromium, and only when needed
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of(ChromiumLocator.SKIP_DOWNLOAD, "1")));
        try {
            browser = found.isPresent() ? launchFound(playwright, found.get()) : launchManaged(playwright, locator);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    private static com.microsoft.playwright.Browser launchFound(Playwright playwright, ChromiumLocator.Found found) {
        try {
            System.out.println("Browser tests drive " + found.executable() + " (" + found.how() + ")");
            return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(found.executable()).setArgs(FLAGS));
        } catch (PlaywrightException e) {
            throw new IllegalStateException("The Chromium at " + found.executable() + " (" + found.how() + ") did not start: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** Playwright's own Chromium: as installed, else downloaded (once per run, bounded in time) when allowed. */
    static com.microsoft.playwright.Browser launchManaged(Playwright playwright, ChromiumLocator locator) {
        String known = managedUnavailable;
        if (known != null) {
            throw new ChromiumLocator.NoChromium(locator.noneFound(known));
        }
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setArgs(FLAGS);
        try {
            return playwright.chromium().launch(options);
        } catch (PlaywrightException missing) {
            if (!locator.mayDownload()) {
                throw unavailable(locator, "not installed, and " + ChromiumLocator.SKIP_DOWNLOAD + " forbids downloading it");
            }
        }
        String failure = downloadManagedChromium();
        if (failure != null) {
            throw unavailable(locator, failure);
        }
        try {
            return playwright.chromium().launch(options);
        } catch (PlaywrightException e) {
            throw unavailable(locator, "downloaded, but it did not start: " + firstLine(e.getMessage()));
        }
    }

    private static ChromiumLocator.NoChromium unavailable(ChromiumLocator locator, String why) {
        managedUnavailable = why;
        return new ChromiumLocator.NoChromium(locator.noneFound(why));
    }

    /**
     * Runs Playwright's installer for Chromium alone (its driver is the same one Playwright's own
     * command line runs), at most {@link #DOWNLOAD_LIMIT}; its progress shows in the test output.
     *
     * @return null when it succeeded, else why not
     */
    private static String downloadManagedChromium() {
        Process install;
        try {
            ProcessBuilder builder = Driver.ensureDriverInstalled(Map.of(ChromiumLocator.SKIP_DOWNLOAD, "1"), false).createProcessBuilder();
            builder.command().addAll(List.of("install", "chromium"));
            install = builder.inheritIO().start();
        } catch (IOException | RuntimeException e) {
            return "its installer did not start: " + firstLine(String.valueOf(e.getMessage()));
        }
        try {
            if (!install.waitFor(DOWNLOAD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return "its download took longer than " + DOWNLOAD_LIMIT.toMinutes() + " minutes";
            }
            return install.exitValue() == 0 ? null : "its download failed (no network?)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "its download was interrupted";
        } finally {
            install.descendants().forEach(ProcessHandle::destroyForcibly);
            install.destroyForcibly();
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
    }

    /** A page in a fresh context: no cookies, its own JavaScript dialogs recorded (and dismissed). */
    Tab open(String path) {
        return open(path, false);
    }

    /**
     * As {@link #open(String)}; with {@code bypassCsp} the page ignores the server's Content
     * Security Policy, so a test may inject a script (the accessibility checker) into it. Only
     * for that: every other test keeps the policy the product ships.
     */
    Tab open(String path, boolean bypassCsp) {
        BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(base).setViewportSize(1280, 900).setBypassCSP(bypassCsp));
        context.setDefaultTimeout(30_000);
        Page page = context.newPage();
        List<String> dialogs = new CopyOnWriteArrayList<>();
        page.onDialog(dialog -> {
            dialogs.add(dialog.type() + ": " + dialog.message());
            dialog.dismiss();
        });
        page.navigate(path);
        return new Tab(page, dialogs);
    }

    record Tab(Page page, List<String> dialogs) implements AutoCloseable {

        /** Signs in through the form and waits for the signed-in header. */
        Tab signIn(String email, String password) {
            page.getByLabel("Email").fill(email);
            page.getByLabel("Password").fill(password);
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Sign in")).click();
            assertThat(page.locator("header.top")).isVisible(); // the signed-in shell (its menu folds away on phones)
            return this;
        }

        void screenshot(String name) {
            try {
                Files.createDirectories(SCREENSHOTS);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
        }

        @Override
        public void close() {
            page.context().close();
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
