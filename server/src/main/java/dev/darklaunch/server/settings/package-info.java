/** Reading settings from environment variables: one syntax and one kind of message for all of them. */
package dev.darklaunch.server.settings;
