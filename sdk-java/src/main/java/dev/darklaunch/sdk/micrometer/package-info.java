/**
 * Micrometer meters for a {@link dev.darklaunch.sdk.DarklaunchClient}: see
 * {@link dev.darklaunch.sdk.micrometer.DarklaunchMetrics}. Needs {@code io.micrometer:micrometer-core}
 * on the classpath, which the SDK does not bring (an optional dependency); the rest of the SDK never
 * touches this package.
 */
package dev.darklaunch.sdk.micrometer;
