package dev.darklaunch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: an application without it on its classpath creates clients, evaluates,
 * tracks and reads metrics as usual. Runs the SDK in a class loader holding only the SDK's classes
 * and its required dependencies (Jackson, SLF4J API, RE2J).
 */
class WithoutMicrometerTest {

    @Test
    void theSdkWorksWithoutMicrometerOnTheClasspath() throws Exception {
        List<URL> classpath = List.of(location(DarklaunchClient.class), location(com.fasterxml.jackson.databind.ObjectMapper.class),
                location(com.fasterxml.jackson.core.JsonParser.class), location(com.fasterxml.jackson.annotation.JsonProperty.class),
                location(org.slf4j.Logger.class),
                location(com.google.re2j.Pattern.class));
        try (URLClassLoader loader = new URLClassLoader(classpath.toArray(URL[]::new), new JdkOnly())) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> configClass = loader.loadClass(DarklaunchConfig.class.getName());
            Object builder = configClass.getMethod("builder").invoke(null);
            builder.getClass().getMethod("offline").invoke(builder);
            Object config = builder.getClass().getMethod("build").invoke(builder);
            Class<?> clientClass = loader.loadClass(DarklaunchClient.class.getName());
            assertThat(clientClass.getClassLoader()).as("the SDK from the test's class path, not the build's").isSameAs(loader);
            Class<?> contextClass = loader.loadClass(Context.class.getName());
            Object context = contextClass.getMethod("of", String.class).invoke(null, "u-1");
            try (AutoCloseable client = (AutoCloseable) clientClass.getMethod("create", configClass).invoke(null, config)) {
                assertThat(clientClass.getMethod("isEnabled", String.class, contextClass).invoke(client, "a", context)).isEqualTo(false);
                clientClass.getMethod("track", String.class, contextClass, double.class).invoke(client, "checkout", context, 1.0);
                assertThat(clientClass.getMethod("metrics").invoke(client)).isNotNull();
            }
        }
    }

    /**
     * The JDK's classes alone. The platform class loader itself would hand out any class of a module
     * the test runs beside (the SDK's, Micrometer's), as the JDK's built-in loaders share one map of
     * packages to modules.
     */
    private static final class JdkOnly extends ClassLoader {
        JdkOnly() {
            super(ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                    || name.startsWith("com.sun."))) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
