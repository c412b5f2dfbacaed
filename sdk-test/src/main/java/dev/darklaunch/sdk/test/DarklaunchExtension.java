package dev.darklaunch.sdk.test;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.TestFlags;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension;

/**
 * The extension behind {@link DarklaunchTest}; register it directly ({@code @ExtendWith}) if you
 * prefer. It resolves {@link TestFlags} and {@link DarklaunchClient} parameters with one pair per
 * test, kept in that test's own extension store: parallel tests never share one, and JUnit closes
 * the client when the test ends.
 */
public final class DarklaunchExtension implements ParameterResolver, TestInstantiationAwareExtension {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DarklaunchExtension.class);

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        // so that constructor parameters belong to the test the instance is made for, not to its class
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestFlags.class || type == DarklaunchClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("Darklaunch test flags belong to one test: take "
                    + parameter.getParameter().getType().getSimpleName() + " in the test, its class's constructor or a "
                    + "@BeforeEach/@AfterEach method, not in " + parameter.getDeclaringExecutable());
        }
        // keyed by the test's id as well, so that a value stored higher up (by a nested class's test) is never inherited
        PerTest perTest = context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(context.getUniqueId(), id -> PerTest.create(), PerTest.class);
        return parameter.getParameter().getType() == TestFlags.class ? perTest.flags() : perTest.client();
    }

    /** One test's flags and client; JUnit closes it (so the client) when the test's context closes. */
    private record PerTest(TestFlags flags, DarklaunchClient client) implements AutoCloseable {
        static PerTest create() {
            TestFlags flags = TestFlags.create();
            return new PerTest(flags, flags.client());
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
