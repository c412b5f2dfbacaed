/**
 * The flag model shared by the SDK and the server: flags, their per-environment configuration,
 * segments, their JSON form ({@link dev.darklaunch.sdk.internal.model.ModelJson}) and their
 * validation ({@link dev.darklaunch.sdk.internal.model.ModelValidator}).
 *
 * <p>Not part of the SDK's public API: applications must not depend on it, and it may change in
 * any release.
 *
 * <p>Values are immutable: every record copies the lists and JSON values it is given. Nothing
 * here is {@code null} unless its documentation says so. Records do accept incomplete input, as
 * decoded from JSON, so that {@link dev.darklaunch.sdk.internal.model.ModelValidator} can name
 * the missing field; a component documented as "required" is non-null in any value that passed
 * validation.
 */
package dev.darklaunch.sdk.internal.model;
