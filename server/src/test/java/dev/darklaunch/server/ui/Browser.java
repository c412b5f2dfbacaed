package dev.darklaunch.server.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * One headless Chromium (the machine's own, {@code /usr/bin/chromium}; Playwright downloads no
 * browser) for a test class, and fresh pages in their own contexts (cookie jars) for each test.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Path CHROMIUM = Paths.get(System.getProperty("darklaunch.chromium", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final String base;

    Browser(String base) {
        this.base = base;
        // auto-waiting assertions; generous for a slow shared machine, they return as soon as they hold
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")));
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
