/**
 * HTTP plumbing shared by every API: the router, JSON bodies, query parameters, ETag headers,
 * responses, connection limits, and {@link dev.darklaunch.server.http.Failures}, the one place that turns failures
 * into status codes. {@code ApiError} stays inside this package; stores never depend on it.
 */
package dev.darklaunch.server.http;
