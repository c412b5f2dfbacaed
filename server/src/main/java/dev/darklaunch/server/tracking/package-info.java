/**
 * Events applications track through the SDK, summed per minute and name, and the API that reads them.
 */
package dev.darklaunch.server.tracking;
