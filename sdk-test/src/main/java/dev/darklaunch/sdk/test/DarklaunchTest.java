package dev.darklaunch.sdk.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test of the annotated class (or the annotated test method) its own, empty
 * {@link dev.darklaunch.sdk.TestFlags} and a {@link dev.darklaunch.sdk.DarklaunchClient} on the
 * real evaluator that follows them. Declare either as a parameter of the test or of a
 * {@code @BeforeEach} / {@code @AfterEach} method: within one test they are the same objects, and
 * no test sees another's flags, also when tests run in parallel.
 *
 * <pre>{@code
 * @DarklaunchTest
 * class CheckoutTest {
 *     @Test
 *     void newCheckoutForNorway(TestFlags flags, DarklaunchClient client) {
 *         flags.booleanFlag("new-checkout").onWhen("country", "NO");
 *         assertTrue(new Checkout(client).isNew(Context.of("u-1").with("country", "NO")));
 *     }
 * }
 * }</pre>
 *
 * The client is closed after the test's {@code @AfterEach} methods. Constructors and
 * {@code @BeforeAll} / {@code @AfterAll} methods cannot take them (JUnit reports which one tried):
 * flags that outlive a test would leak from one test into the next.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DarklaunchExtension.class)
public @interface DarklaunchTest {
}
