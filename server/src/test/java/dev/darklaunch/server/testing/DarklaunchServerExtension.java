package dev.darklaunch.server.testing;

import dev.darklaunch.server.Config;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Starts and stops what {@link DarklaunchServerTest} asks for, and fills the {@link Given} fields
 * and parameters. What it starts lives in JUnit's store of the class (or of the test), which
 * closes it when that ends — also when a test or the start itself fails.
 */
public final class DarklaunchServerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DarklaunchServerExtension.class);
    /** Types a parameter may ask for without {@link Given}: there is only one way to give them. */
    private static final Set<Class<?>> UNAMBIGUOUS = Set.of(TestServer.class, Fixtures.class, StoppableDatabase.class, DatabaseProxy.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (settings(context).lifetime() == DarklaunchServerTest.Lifetime.PER_CLASS) {
            Started started = started(context);
            inject(started, context.getRequiredTestClass(), null);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Started started = started(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            inject(started, instance.getClass(), instance);
        }
    }

    /**
     * The server {@code index} of the class or test running now, started if it is not yet; for
     * extensions that build on it (a browser pointed at it).
     */
    public static TestServer server(ExtensionContext context, int index) {
        return started(context).servers().get(index);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return (parameter.isAnnotated(Given.class) || UNAMBIGUOUS.contains(type)) && givable(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        int server = parameter.findAnnotation(Given.class).map(Given::server).orElse(0);
        return value(started(context), parameter.getParameter().getType(), server);
    }

    private static boolean givable(Class<?> type) {
        return UNAMBIGUOUS.contains(type) || type == Http.class || type == String.class;
    }

    private static void inject(Started started, Class<?> testClass, Object instance) {
        List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, Given.class,
                field -> instance == null ? ModifierSupport.isStatic(field) : !ModifierSupport.isStatic(field),
                HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            if (!givable(field.getType())) {
                continue; // another extension's (a browser, say)
            }
            Object value = value(started, field.getType(), field.getAnnotation(Given.class).server());
            try {
                field.setAccessible(true);
                field.set(instance, value);
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot set " + field, e);
            }
        }
    }

    private static Object value(Started started, Class<?> type, int index) {
        if (index < 0 || index >= started.servers().size()) {
            throw new ExtensionConfigurationException("there is no server " + index + " (the class starts " + started.servers().size() + ")");
        }
        TestServer server = started.servers().get(index);
        if (type == TestServer.class) {
            return server;
        } else if (type == Http.class) {
            return server.admin();
        } else if (type == Fixtures.class) {
            return new Fixtures(server.admin());
        } else if (type == String.class) {
            return started.databaseUrl();
        } else if (type == StoppableDatabase.class) {
            return require(started.stoppable(), "database = STOPPABLE");
        } else if (type == DatabaseProxy.class) {
            return require(started.proxy(), "database = PROXIED");
        }
        throw new ExtensionConfigurationException("@Given cannot give a " + type.getName());
    }

    private static <T> T require(T value, String setting) {
        if (value == null) {
            throw new ExtensionConfigurationException("ask for it with @DarklaunchServerTest(" + setting + ")");
        }
        return value;
    }

    private static DarklaunchServerTest settings(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), DarklaunchServerTest.class)
                .orElseThrow(() -> new ExtensionConfigurationException("not a @DarklaunchServerTest: " + context.getRequiredTestClass()));
    }

    /** What runs for the class (looked up from its tests too) or for the test, started on first use. */
    private static Started started(ExtensionContext context) {
        DarklaunchServerTest settings = settings(context);
        ExtensionContext owner = settings.lifetime() == DarklaunchServerTest.Lifetime.PER_TEST ? context : classContext(context);
        if (settings.lifetime() == DarklaunchServerTest.Lifetime.PER_TEST && context.getTestMethod().isEmpty()) {
            throw new ExtensionConfigurationException("with lifetime = PER_TEST, servers exist only in tests: use instance fields");
        }
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(Started.class,
                key -> Started.start(settings, adjustment(settings, context.getRequiredTestClass())), Started.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext at = context;
        while (at.getTestMethod().isPresent() && at.getParent().isPresent()) {
            at = at.getParent().get();
        }
        return at;
    }

    private static UnaryOperator<Config> adjustment(DarklaunchServerTest settings, Class<?> testClass) {
        UnaryOperator<Config> password = settings.adminPassword() ? TestServer::withAdminPassword : UnaryOperator.identity();
        if (settings.config().isEmpty()) {
            return password;
        }
        Method method = ReflectionSupport.findMethod(testClass, settings.config(), Config.class)
                .filter(ModifierSupport::isStatic)
                .orElseThrow(() -> new ExtensionConfigurationException("config = \"" + settings.config() + "\" names no method static Config "
                        + settings.config() + "(Config) in " + testClass.getName()));
        return config -> (Config) ReflectionSupport.invokeMethod(method, null, password.apply(config));
    }

    /** The database and servers of one class or test; closed by JUnit's store, servers first. */
    private record Started(String databaseUrl, List<TestServer> servers, StoppableDatabase stoppable, DatabaseProxy proxy, Path dataDir)
            implements AutoCloseable {

        static Started start(DarklaunchServerTest settings, UnaryOperator<Config> adjust) {
            List<TestServer> servers = new ArrayList<>();
            StoppableDatabase stoppable = null;
            DatabaseProxy proxy = null;
            Path dataDir = null;
            try {
                String databaseUrl;
                String serversUse;
                switch (settings.database()) {
                    case STOPPABLE -> {
                        dataDir = Files.createTempDirectory("darklaunch-test-pg");
                        stoppable = new StoppableDatabase(dataDir);
                        databaseUrl = stoppable.url();
                        serversUse = databaseUrl;
                    }
                    case PROXIED -> {
                        databaseUrl = TestDatabase.fresh();
                        proxy = new DatabaseProxy(databaseUrl);
                        serversUse = DatabaseProxy.url(databaseUrl, proxy);
                    }
                    default -> {
                        databaseUrl = TestDatabase.fresh();
                        serversUse = databaseUrl;
                    }
                }
                for (int i = 0; i < settings.servers(); i++) {
                    servers.add(TestServer.start(serversUse, adjust));
                }
                return new Started(databaseUrl, List.copyOf(servers), stoppable, proxy, dataDir);
            } catch (IOException | RuntimeException e) {
                new Started(null, servers, stoppable, proxy, dataDir).close();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }

        @Override
        public void close() {
            List<Runnable> steps = new ArrayList<>();
            if (proxy != null) {
                steps.add(proxy::resume); // a stalled proxy would hold up the servers' shutdown
            }
            for (int i = servers.size() - 1; i >= 0; i--) {
                steps.add(servers.get(i)::close);
            }
            if (proxy != null) {
                steps.add(proxy::close);
            }
            if (stoppable != null) {
                steps.add(stoppable::close);
            }
            if (dataDir != null) {
                steps.add(() -> delete(dataDir));
            }
            // every step runs even when one fails, so one stuck server does not leak the rest
            RuntimeException failed = null;
            for (Runnable step : steps) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        private static void delete(Path directory) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
