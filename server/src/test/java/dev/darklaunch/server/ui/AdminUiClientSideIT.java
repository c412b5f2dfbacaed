package dev.darklaunch.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.darklaunch.server.testing.Await;
import dev.darklaunch.server.testing.DarklaunchServerTest;
import dev.darklaunch.server.testing.Given;
import dev.darklaunch.server.testing.Http;
import dev.darklaunch.server.testing.OfrepFixture;
import dev.darklaunch.server.testing.TestServer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * What web pages may use, managed in the browser: client tokens (created with the web origins
 * allowed to use them, listed with those origins, revoked) and the flags marked client-side on
 * their page. Each test checks the outcome over the REST API and over OFREP with the token.
 */
@DarklaunchServerTest(adminPassword = true)
@ExtendWith(BrowserExtension.class)
class AdminUiClientSideIT {

    private static final String P = OfrepFixture.P;
    @Given
    private static TestServer server;
    @Given
    private static Browser browser;

    /** An admin creates a client token for two origins, sees them listed, and revokes it: OFREP refuses it then. */
    @Test
    void an_admin_creates_a_client_token_for_the_origins_of_a_web_shop_and_revokes_it() {
        createFlag("shop-banner", true);
        try (Browser.Tab tab = browser.open("/tokens")) {
            Page page = tab.page();
            tab.signIn("admin", TestServer.ADMIN_PASSWORD);
            assertThat(page.locator("#client-token-hint")).hasText(Pattern.compile("client token is safe to put in a web page"));
            Locator form = page.locator("form[aria-labelledby=new-token-title]");
            assertThat(form.getByLabel("Allowed origins")).hasCount(0);
            form.getByLabel("Name").fill("storefront pages");
            form.getByLabel("Kind").selectOption("client");
            form.getByLabel("Production").check();
            form.getByLabel("Allowed origins").fill("https://shop.example.com\nhttps://staging.shop.example.com:8443");
            tab.screenshot("tokens-client-new");
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create token")).click();
            Locator secret = page.getByTestId("secret");
            assertThat(secret).hasText(Pattern.compile("^dl_client_"));
            String clientToken = secret.textContent();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done")).click();

            Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("storefront pages"));
            assertThat(row.locator("td").nth(0)).hasText("client");
            assertThat(row.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Allowed origins")).getByRole(AriaRole.LISTITEM))
                    .hasText(new String[]{"https://shop.example.com", "https://staging.shop.example.com:8443"});
            assertThat(row).containsText("default / production");
            tab.screenshot("tokens-client");

            JsonNode token = server.admin().get("/api/v1/tokens").json().get("items").findParents("name").stream()
                    .filter(t -> t.get("name").asText().equals("storefront pages")).findFirst().orElseThrow();
            Assertions.assertThat(token.get("kind").asText()).isEqualTo("client");
            Assertions.assertThat(token.get("environments").toString()).isEqualTo("[\"production\"]");
            Assertions.assertThat(token.get("origins").toString())
                    .isEqualTo("[\"https://shop.example.com\",\"https://staging.shop.example.com:8443\"]");
            Http.Response evaluated = ofrep(clientToken, "https://shop.example.com", "shop-banner");
            Assertions.assertThat(evaluated.status()).as("%s", evaluated).isEqualTo(200);
            Assertions.assertThat(evaluated.json().get("value").asBoolean()).isTrue();

            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke storefront pages")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog).containsText("Web pages using it are refused from now on");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
            assertThat(row).containsText("revoked");
            Assertions.assertThat(ofrep(clientToken, "https://shop.example.com", "shop-banner").status()).isEqualTo(401);
        }
    }

    /**
     * An editor marks a flag client-side on its page: the client token evaluates it from then on,
     * editing the definition keeps the mark, and clearing it hides the flag from the token again.
     */
    @Test
    void an_editor_marks_a_flag_client_side_and_a_client_token_then_evaluates_it() {
        createFlag("new-header", false);
        String origin = "https://www.example.org";
        String clientToken = OfrepFixture.clientToken(server.admin(), origin);
        server.user("eddie@example.com", "editor password 0123", "editor");
        Assertions.assertThat(ofrep(clientToken, origin, "new-header").status()).as("not client-side yet").isEqualTo(404);

        try (Browser.Tab tab = browser.open("/projects/default/flags/new-header")) {
            Page page = tab.page();
            tab.signIn("eddie@example.com", "editor password 0123");
            Locator clientSide = page.getByLabel("Client-side");
            assertThat(clientSide).not().isChecked();
            assertThat(page.locator("#client-side-hint")).containsText("Web pages with a client token may evaluate this flag");
            clientSide.check();
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("Web pages with a client token can evaluate this flag now.");
            assertThat(clientSide).isChecked();
            tab.screenshot("flag-client-side");
            Assertions.assertThat(server.admin().get(P + "/flags/new-header").json().path("clientSide").asBoolean()).isTrue();
            // OFREP answers from the server's in-memory flags, which follow the change within milliseconds
            Await.until(Duration.ofSeconds(20), "the client token evaluates the flag", () -> ofrep(clientToken, origin, "new-header").status() == 200);
            Assertions.assertThat(ofrep(clientToken, origin, "new-header").json().get("value").asBoolean()).isTrue();

            // editing the definition keeps the mark
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit definition")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Owner").fill("team-web");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save definition")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("The definition was saved.");
            JsonNode flag = server.admin().get(P + "/flags/new-header").json();
            Assertions.assertThat(flag.get("owner").asText()).isEqualTo("team-web");
            Assertions.assertThat(flag.path("clientSide").asBoolean()).as("%s", flag).isTrue();
            assertThat(clientSide).isChecked();

            clientSide.uncheck();
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("Client tokens can no longer evaluate this flag.");
            Assertions.assertThat(server.admin().get(P + "/flags/new-header").json().path("clientSide").asBoolean()).isFalse();
            Await.until(Duration.ofSeconds(20), "the client token no longer evaluates the flag",
                    () -> ofrep(clientToken, origin, "new-header").status() == 404);
        }

        server.user("vic@example.com", "viewer password 0123", "viewer");
        try (Browser.Tab tab = browser.open("/projects/default/flags/new-header")) {
            tab.signIn("vic@example.com", "viewer password 0123");
            assertThat(tab.page().getByLabel("Client-side")).isDisabled();
        }
    }

    /** A boolean flag serving true in production, client-side or not. */
    private static void createFlag(String key, boolean clientSide) {
        OfrepFixture.flag(server.admin(), OfrepFixture.bool(key, clientSide), Map.of("on", true, "offVariation", 1,
                "fallthrough", Map.of("variation", 0)));
    }

    /** One flag over OFREP with a client token, as a page on {@code origin} asks for it. */
    private static Http.Response ofrep(String token, String origin, String flag) {
        return new Http(server.base(), token).with("Origin", origin)
                .post("/ofrep/v1/evaluate/flags/" + flag, Map.of("context", Map.of("targetingKey", "visitor-1")));
    }
}
