package dev.darklaunch.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.DarklaunchConfig;
import dev.darklaunch.sdk.TestFlags;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Spring Boot" section: its properties exist and bind, its table covers them all, its code compiles and runs here. */
class ReadmeSpringBootTest {

    private final String section = section();

    @Test
    void the_property_block_names_only_real_properties_and_binds_to_a_valid_config() throws IOException {
        Properties block = new Properties();
        block.load(new StringReader(fenced("properties")));
        assertThat(block).isNotEmpty();
        assertThat(block.stringPropertyNames()).isSubsetOf(documentedProperties());

        Map<String, Object> values = new HashMap<>();
        block.forEach((key, value) -> values.put((String) key, value));
        values.put("DARKLAUNCH_SDK_TOKEN", "dl_sdk_from_the_environment");
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new MapPropertySource("readme", values));
        DarklaunchProperties properties = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources)).bind("darklaunch", DarklaunchProperties.class).get();

        assertThat(properties.getBaseUrl()).isEqualTo(URI.create("https://flags.example.com"));
        assertThat(properties.getSdkToken()).isEqualTo("dl_sdk_from_the_environment");
        assertThat(properties.getPollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.getInitTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.getBackupFile()).isEqualTo(Path.of("/var/lib/myapp/flags.json"));
        assertThat(ConfigFromProperties.build(properties, () -> null)).isNotNull(); // within the SDK's limits
    }

    /** Defaults that depend on other settings, so the metadata cannot state them. */
    private static final Map<String, String> COMPUTED_DEFAULTS = Map.of("darklaunch.evaluation-counts", "`true` (`false` offline)");

    @Test
    void the_table_lists_every_property_with_its_real_default() throws IOException {
        Map<String, String> table = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z.-]+)` \\| ([^|]+) \\|").matcher(section);
        while (row.find()) {
            table.put(row.group(1), row.group(2).strip());
        }
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(documentedProperties());
        for (JsonNode property : metadata()) {
            JsonNode defaultValue = property.get("defaultValue");
            String shown = table.get(property.get("name").asText());
            if (COMPUTED_DEFAULTS.containsKey(property.get("name").asText())) {
                assertThat(shown).isEqualTo(COMPUTED_DEFAULTS.get(property.get("name").asText()));
            } else if (defaultValue == null) {
                assertThat(shown).as(property.get("name").asText()).startsWith("*(");
            } else {
                assertThat(shown).as(property.get("name").asText()).isEqualTo("`" + defaultValue.asText() + "`");
            }
        }
    }

    @Test
    void the_token_binds_from_the_environment_variable_the_table_names() {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource("systemEnvironment", Map.of("DARKLAUNCH_SDKTOKEN", "dl_sdk_env")));
        assertThat(section).contains("`DARKLAUNCH_SDKTOKEN`");
        assertThat(new Binder(ConfigurationPropertySources.from(sources)).bind("darklaunch", DarklaunchProperties.class).get().getSdkToken())
                .isEqualTo("dl_sdk_env");
    }

    @Test
    void the_code_examples_are_these_and_work() {
        assertThat(normalized(section)).contains(normalized(SERVICE_EXAMPLE)).contains(normalized(OVERRIDE_EXAMPLE));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DarklaunchAutoConfiguration.class))
                .withUserConfiguration(Override.class, Checkout.class).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(DarklaunchConfig.class);
                    assertThat(context.getBean(Checkout.class).newFlow(new User("user-1", "NO"))).isTrue();
                });
    }

    // --- the README's examples, compiled ---

    private static final String SERVICE_EXAMPLE = """
            @Service
            class Checkout {
                private final DarklaunchClient flags;

                Checkout(DarklaunchClient flags) {
                    this.flags = flags;
                }

                boolean newFlow(User user) {
                    return flags.isEnabled("new-checkout", Context.of(user.id()).with("country", user.country()));
                }
            }""";

    @org.springframework.stereotype.Service
    static class Checkout {
        private final DarklaunchClient flags;

        Checkout(DarklaunchClient flags) {
            this.flags = flags;
        }

        boolean newFlow(User user) {
            return flags.isEnabled("new-checkout", Context.of(user.id()).with("country", user.country()));
        }
    }

    record User(String id, String country) {
    }

    private static final String OVERRIDE_EXAMPLE = """
            @Bean
            DarklaunchClient darklaunchClient() {
                TestFlags flags = TestFlags.create();
                flags.booleanFlag("new-checkout").on();
                return flags.client();
            }""";

    @Configuration(proxyBeanMethods = false)
    static class Override {
        @Bean
        DarklaunchClient darklaunchClient() {
            TestFlags flags = TestFlags.create();
            flags.booleanFlag("new-checkout").on();
            return flags.client();
        }
    }

    // --- reading the README and the generated metadata ---

    /** Every property the starter declares: generated from DarklaunchProperties, with the additional metadata merged in. */
    private static List<String> documentedProperties() throws IOException {
        List<String> names = new ArrayList<>();
        metadata().forEach(property -> names.add(property.get("name").asText()));
        return names;
    }

    private static List<JsonNode> metadata() throws IOException {
        List<JsonNode> properties = new ArrayList<>();
        String file = "META-INF/spring-configuration-metadata.json";
        try (var in = DarklaunchProperties.class.getClassLoader().getResourceAsStream(file)) {
            assertThat(in).as(file).isNotNull();
            new ObjectMapper().readTree(in).get("properties").forEach(properties::add);
        }
        return properties;
    }

    private String fenced(String language) {
        Matcher block = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).as("a ```" + language + " block in the README's Spring Boot section").isTrue();
        return block.group(1);
    }

    private static String section() {
        try {
            String readme = Files.readString(repositoryRoot().resolve("README.md"), StandardCharsets.UTF_8);
            int start = readme.indexOf("\n## Spring Boot\n");
            assertThat(start).as("a \"## Spring Boot\" section in README.md").isNotNegative();
            int end = readme.indexOf("\n## ", start + 1);
            return readme.substring(start, end < 0 ? readme.length() : end);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        String configured = System.getProperty("darklaunch.repo.root");
        if (configured != null && Files.isRegularFile(Path.of(configured, "README.md"))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("spring-boot-starter"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository's README.md");
    }

    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
