/**
 * What operators need: health (live and ready), Prometheus metrics, the OpenAPI document.
 */
package dev.darklaunch.server.ops;
