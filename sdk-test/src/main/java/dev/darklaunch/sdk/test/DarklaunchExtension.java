package dev.darklaunch.sdk.test;

import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.TestFlags;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link DarklaunchTest}; register it directly ({@code @ExtendWith}) if you
 * prefer. It resolves {@link TestFlags} and {@link DarklaunchClient} parameters with one pair per
 * test, kept in that test's own extension store, so parallel tests never share one, and closes the
 * client after the test's {@code @AfterEach} methods.
 *
 * <p>It uses only extension points JUnit Jupiter has had since 5.0 (a parameter resolver, an
 * after-each callback, the extension store), so that it works with the JUnit an application
 * already has; that is also why it does not serve constructors, which only JUnit 5.12's
 * test-instantiation scope would let it do per test.
 */
public final class DarklaunchExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DarklaunchExtension.class);

    /** JUnit makes the extension; so may {@code @RegisterExtension}. It keeps no state of its own. */
    public DarklaunchExtension() {
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
                    + parameter.getParameter().getType().getSimpleName() + " in the test or a @BeforeEach/@AfterEach method, not in "
                    + parameter.getDeclaringExecutable());
        }
        // keyed by the test's id, so that a pair stored higher up is never inherited through the store's parents
        PerTest perTest = context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId(), id -> PerTest.create(), PerTest.class);
        return parameter.getParameter().getType() == TestFlags.class ? perTest.flags() : perTest.client();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PerTest perTest = context.getStore(NAMESPACE).remove(context.getUniqueId(), PerTest.class);
        if (perTest != null) {
            perTest.client().close();
        }
    }

    /** One test's flags and the client that follows them. */
    private record PerTest(TestFlags flags, DarklaunchClient client) {
        static PerTest create() {
            TestFlags flags = TestFlags.create();
            return new PerTest(flags, flags.client());
        }
    }
}
