package dev.darklaunch.sdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.darklaunch.sdk.Context;
import dev.darklaunch.sdk.DarklaunchClient;
import dev.darklaunch.sdk.Reason;
import dev.darklaunch.sdk.TestFlags;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Requirement: {@link DarklaunchTest} gives every test its own flags and a client on the real
 * evaluator, the same pair wherever the test asks for them, fresh for the next test, closed at
 * the end, and never shared between tests running in parallel. Each case runs sample test
 * classes (nested below; the build does not run them by themselves) through the real Jupiter
 * engine and checks what happened.
 */
class DarklaunchExtensionTest {

    private static final Context NORWAY = Context.of("u-1").with("country", "NO");

    @Test
    void aFlagSetInOneTestIsGoneInTheNext() {
        Events tests = run(OneTestThenTheNext.class);
        tests.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void beforeEachTestAndAfterEachShareOnePair() {
        OnePairPerTest.closedInAfterEach.clear();
        run(OnePairPerTest.class).assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertThat(OnePairPerTest.closedInAfterEach).as("the client is still open in @AfterEach").containsExactly(false, false);
    }

    @Test
    void flagsAreSetFluentlyAndEvaluatedByTheRealEvaluator() {
        run(FluentFlags.class).assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void aSingleMethodCanBeAnnotated() {
        run(AnnotatedMethod.class).assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void theClientIsClosedWhenItsTestEnds() {
        ClosedAfterTheTest.seen.clear();
        run(ClosedAfterTheTest.class).assertStatistics(stats -> stats.started(1).succeeded(1));

        TestFlags flags = (TestFlags) ClosedAfterTheTest.seen.get(0);
        DarklaunchClient client = (DarklaunchClient) ClosedAfterTheTest.seen.get(1);
        flags.booleanFlag("late").on();
        assertThat(client.isEnabled("late", NORWAY)).as("a closed client follows its flags no more").isFalse();
        assertThat(flags.client().isEnabled("late", NORWAY)).isTrue();
    }

    @Test
    void testsRunningInParallelNeverShareFlags() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(Parallel.TESTS))
                .selectors(selectClass(Parallel.class))
                .execute().testEvents();

        tests.assertStatistics(stats -> stats.started(Parallel.TESTS).succeeded(Parallel.TESTS).failed(0));
    }

    @Test
    void aConstructorCannotTakeFlags_withAMessageSayingWhere() {
        Events tests = run(FlagsInConstructor.class);

        tests.assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("belong to one test") && m.contains("FlagsInConstructor")))));
    }

    @Test
    void beforeAllCannotTakeFlags_withAMessageSayingWhere() {
        Events containers = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FlagsInBeforeAll.class))
                .execute().containerEvents();

        containers.assertThatEvents().haveExactly(1, event(container(FlagsInBeforeAll.class),
                finishedWithFailure(instanceOf(ParameterResolutionException.class), message(m -> m.contains("belong to one test")))));
    }

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    // ---- sample test classes, run only through the engine above --------------------------------------------------------

    @DarklaunchTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OneTestThenTheNext {
        @Test
        @Order(1)
        void turnsTheFlagOn(TestFlags flags, DarklaunchClient client) {
            flags.booleanFlag("new-checkout").on();
            assertThat(client.isEnabled("new-checkout", NORWAY)).isTrue();
        }

        @Test
        @Order(2)
        void startsWithoutIt(DarklaunchClient client) {
            assertThat(client.boolVariationDetail("new-checkout", NORWAY, false).reason())
                    .isEqualTo(Reason.error(Reason.ErrorKind.FLAG_NOT_FOUND));
        }
    }

    @DarklaunchTest
    static class OnePairPerTest {
        static final List<Boolean> closedInAfterEach = new CopyOnWriteArrayList<>();
        private TestFlags flagsOfBeforeEach;
        private DarklaunchClient clientOfBeforeEach;

        @BeforeEach
        void setUp(TestFlags flags, DarklaunchClient client) {
            flagsOfBeforeEach = flags;
            clientOfBeforeEach = client;
            flags.booleanFlag("from-before-each").on();
        }

        @Test
        void one(TestFlags flags, DarklaunchClient client) {
            assertThat(flags).isSameAs(flagsOfBeforeEach);
            assertThat(client).isSameAs(clientOfBeforeEach);
            assertThat(client.isEnabled("from-before-each", NORWAY)).isTrue();
        }

        @Test
        void two(DarklaunchClient client) {
            assertThat(client).isSameAs(clientOfBeforeEach);
            assertThat(client.isEnabled("from-before-each", NORWAY)).isTrue();
        }

        @AfterEach
        void tearDown(TestFlags flags, DarklaunchClient client) {
            assertThat(flags).isSameAs(flagsOfBeforeEach);
            flags.booleanFlag("from-after-each").on();
            closedInAfterEach.add(!client.isEnabled("from-after-each", NORWAY));
        }
    }

    @DarklaunchTest
    static class FluentFlags {
        @Test
        void everyKindOfFlag(TestFlags flags, DarklaunchClient client) {
            flags.booleanFlag("on").on();
            flags.booleanFlag("off").off();
            flags.booleanFlag("norway-only").onWhen("country", "NO");
            flags.booleanFlag("thirty-percent").percentage(30);
            flags.stringFlag("theme", "light", "dark").serve("dark").serveTo("light", "u-2");

            assertThat(client.isEnabled("on", NORWAY)).isTrue();
            assertThat(client.isEnabled("off", NORWAY)).isFalse();
            assertThat(client.isEnabled("norway-only", NORWAY)).isTrue();
            assertThat(client.isEnabled("norway-only", Context.of("u-1").with("country", "SE"))).isFalse();
            long on = java.util.stream.IntStream.range(0, 1000)
                    .filter(i -> client.isEnabled("thirty-percent", Context.of("user-" + i))).count();
            assertThat(on).isBetween(240L, 360L);
            assertThat(client.stringVariation("theme", NORWAY, "none")).isEqualTo("dark");
            assertThat(client.stringVariation("theme", Context.of("u-2"), "none")).isEqualTo("light");
        }
    }

    static class AnnotatedMethod {
        @DarklaunchTest
        @Test
        void onlyThisOne(TestFlags flags, DarklaunchClient client) {
            flags.booleanFlag("f").on();
            assertThat(client.isEnabled("f", NORWAY)).isTrue();
        }
    }

    @DarklaunchTest
    static class ClosedAfterTheTest {
        static final List<Object> seen = new CopyOnWriteArrayList<>();

        @Test
        void keepsThem(TestFlags flags, DarklaunchClient client) {
            seen.add(flags);
            seen.add(client);
        }
    }

    @DarklaunchTest
    static class Parallel {
        static final int TESTS = 4;
        private static final CyclicBarrier ALL_SET = new CyclicBarrier(TESTS);

        @ParameterizedTest
        @ValueSource(strings = {"light", "dark", "blue", "green"})
        void eachSeesItsOwnValue(String theme, TestFlags flags, DarklaunchClient client) throws Exception {
            flags.stringFlag("theme", "light", "dark", "blue", "green").serve(theme);
            // every test has set its value before any looks: they run at the same time, or this times out
            ALL_SET.await(30, TimeUnit.SECONDS);
            assertThat(client.stringVariation("theme", NORWAY, "none")).isEqualTo(theme);
        }
    }

    @DarklaunchTest
    static class FlagsInConstructor {
        FlagsInConstructor(TestFlags flags) {
            flags.booleanFlag("shared").on();
        }

        @Test
        void never() {
        }
    }

    @DarklaunchTest
    static class FlagsInBeforeAll {
        @BeforeAll
        static void setUp(TestFlags flags) {
            flags.booleanFlag("shared").on();
        }

        @Test
        void never() {
        }
    }
}
