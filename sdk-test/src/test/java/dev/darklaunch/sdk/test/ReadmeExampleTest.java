package dev.darklaunch.sdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.TestFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The README's {@code @DarklaunchTest} example, run through the Jupiter engine; the README must still show it. */
class ReadmeExampleTest {

    @Test
    void theExamplePasses() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(CheckoutTest.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void theReadmeShowsIt() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains(
                "@DarklaunchTest\nclass CheckoutTest {",
                "    void norwayGetsTheNewCheckout(TestFlags flags, DarklaunchClient client) {",
                "        flags.booleanFlag(\"new-checkout\").onWhen(\"country\", \"NO\");   // each test starts with no flags",
                "        assertTrue(client.isEnabled(\"new-checkout\", Context.of(\"user-1\").with(\"country\", \"NO\")));",
                "        assertFalse(client.isEnabled(\"new-checkout\", Context.of(\"user-2\").with(\"country\", \"SE\")));");
    }

    @DarklaunchTest
    static class CheckoutTest {
        @Test
        void norwayGetsTheNewCheckout(TestFlags flags, DarklaunchClient client) {
            flags.booleanFlag("new-checkout").onWhen("country", "NO");   // each test starts with no flags
            assertTrue(client.isEnabled("new-checkout", Context.of("user-1").with("country", "NO")));
            assertFalse(client.isEnabled("new-checkout", Context.of("user-2").with("country", "SE")));
        }
    }
}
