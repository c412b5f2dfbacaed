package dev.darklaunch.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field or parameter that {@link DarklaunchServerTest} fills: a {@link TestServer}, its admin
 * {@link Http} client, {@link Fixtures} through that client, the database URL as a
 * {@code String}, a {@link StoppableDatabase} or a {@link DatabaseProxy}.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Given {

    /** Which server (from 0) when the class starts several on one database. */
    int server() default 0;
}
