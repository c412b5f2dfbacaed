package dev.darklaunch.sdk.internal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Another flag that must serve a given variation before this flag is evaluated further; when it
 * does not, this flag serves its off variation.
 *
 * @param flag the key of the other flag, in the same project and environment; required
 * @param variation index into the other flag's variations; required in JSON
 */
public record Prerequisite(String flag, @JsonProperty(required = true) int variation) {}
