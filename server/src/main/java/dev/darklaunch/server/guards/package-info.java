/**
 * What guards a release: the definitions of guards ({@link dev.darklaunch.server.guards.GuardSpec}),
 * the samples SDKs report for guarded flags, read per arm, and the sequential statistics that
 * decide whether the released variation does worse than the rest. Knows no HTTP and no other
 * package of the server.
 */
package dev.darklaunch.server.guards;
