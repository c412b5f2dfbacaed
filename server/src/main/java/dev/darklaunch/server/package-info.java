/**
 * The composition root: {@link dev.darklaunch.server.Config} read once, {@link dev.darklaunch.server.Stores}
 * built once, then services and APIs wired on top of them by {@link dev.darklaunch.server.DarklaunchServer}.
 * Only this package builds stores or fills the hooks lower packages declare; no other package depends on it.
 */
package dev.darklaunch.server;
