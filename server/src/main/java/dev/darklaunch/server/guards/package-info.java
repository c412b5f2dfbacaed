/**
 * The statistics that guard a release: whether the released variation does worse than the rest.
 * Pure computation on numbers handed in; knows no storage, no HTTP and no other package.
 */
package dev.darklaunch.server.guards;
