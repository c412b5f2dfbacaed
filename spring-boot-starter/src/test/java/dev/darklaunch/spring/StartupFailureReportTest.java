package dev.darklaunch.spring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user sees when an application starts without its Darklaunch settings: Spring Boot's report, naming the property and the ways out. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    @Test
    void a_missing_token_is_reported_as_description_and_action(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
                .properties("darklaunch.base-url=https://flags.example.com", "spring.main.banner-mode=off").run())
                .hasRootCauseInstanceOf(DarklaunchConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Description:\n\nDarklaunch needs darklaunch.base-url and darklaunch.sdk-token to reach its server; "
                        + "darklaunch.sdk-token is not set.")
                .contains("Action:\n\nSet darklaunch.sdk-token (e.g. the environment variable DARKLAUNCH_SDKTOKEN). "
                        + "To run without a server (tests, local work), set darklaunch.offline=true");
    }
}
