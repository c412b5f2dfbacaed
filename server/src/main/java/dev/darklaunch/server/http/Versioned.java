package dev.darklaunch.server.http;

/** A resource with a version: reads return it as ETag, writes check it against If-Match. */
public interface Versioned {
    long version();
}
