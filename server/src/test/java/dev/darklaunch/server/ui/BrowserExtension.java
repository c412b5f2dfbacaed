package dev.darklaunch.server.ui;

import dev.darklaunch.server.testing.DarklaunchServerExtension;
import dev.darklaunch.server.testing.Given;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;

import java.lang.reflect.Field;

/**
 * One headless browser for a test class, pointed at its Darklaunch server (next to
 * {@code @DarklaunchServerTest}): fills the static {@link Given} field of type {@link Browser},
 * and closes the browser (before the server) when the class ends.
 */
final class BrowserExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrowserExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        for (Field field : AnnotationSupport.findAnnotatedFields(context.getRequiredTestClass(), Given.class,
                field -> field.getType() == Browser.class && ModifierSupport.isStatic(field), HierarchyTraversalMode.TOP_DOWN)) {
            Browser browser = context.getStore(NAMESPACE).getOrComputeIfAbsent(Browser.class,
                    key -> new Browser(DarklaunchServerExtension.server(context, field.getAnnotation(Given.class).server()).base()),
                    Browser.class);
            try {
                field.setAccessible(true);
                field.set(null, browser);
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot set " + field, e);
            }
        }
    }
}
