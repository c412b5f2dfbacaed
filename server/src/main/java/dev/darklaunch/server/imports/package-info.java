/**
 * Imports from other tools (Unleash): translating their flags, strategies, segments and constraints
 * into Darklaunch's model, and writing an import as one audited change per environment.
 */
package dev.darklaunch.server.imports;
