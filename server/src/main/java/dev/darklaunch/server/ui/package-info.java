/**
 * Serves the admin single-page app built by the {@code admin-ui} module.
 */
package dev.darklaunch.server.ui;
