package dev.darklaunch.server.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class against real Darklaunch servers over a real PostgreSQL: the extension starts them
 * before the class (or each test) and stops them after, and hands them to fields and parameters
 * marked {@link Given} — a {@link TestServer}, its admin {@link Http} client, {@link Fixtures}, the
 * database URL, or the {@link StoppableDatabase} / {@link DatabaseProxy} in between.
 *
 * <pre>{@code
 * @DarklaunchServerTest(adminPassword = true)
 * class UsersIT {
 *     @Given static TestServer server;
 *     @Given static Http admin;
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DarklaunchServerExtension.class)
public @interface DarklaunchServerTest {

    /** The admin UI user {@code admin} gets {@link TestServer#ADMIN_PASSWORD}. */
    boolean adminPassword() default false;

    /**
     * The name of a static method {@code Config name(Config)} of the test class that adjusts each
     * server's configuration (feed timings, sessions, HTTP limits, …); empty for the defaults.
     */
    String config() default "";

    /** How many servers share the one database (fields and parameters pick one with {@link Given#server()}). */
    int servers() default 1;

    /** What the servers talk to. */
    Database database() default Database.FRESH;

    /** Whether the servers and database live for the whole class or are new for each test. */
    Lifetime lifetime() default Lifetime.PER_CLASS;

    enum Database {
        /** A new empty database in the PostgreSQL the test JVM shares ({@link TestDatabase#fresh()}). */
        FRESH,
        /** A PostgreSQL of the class's own that the test can stop and start ({@link StoppableDatabase}), for outage tests. */
        STOPPABLE,
        /** A fresh database reached through a {@link DatabaseProxy} the test can stall, cut or make lose answers. */
        PROXIED
    }

    enum Lifetime {
        /** Started before the first test of the class, stopped after the last (fields may be static). */
        PER_CLASS,
        /** Started before each test, stopped after it (fields are instance fields), for tests that break the database. */
        PER_TEST
    }
}
