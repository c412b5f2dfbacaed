package dev.darklaunch.server.webhooks;

/** How one request to a receiver went: its status (null when none came back) or why it failed. */
record Attempt(Integer status, String error, String response, long durationMillis) {

    boolean succeeded() {
        return status != null && status >= 200 && status < 300 && error == null;
    }
}
