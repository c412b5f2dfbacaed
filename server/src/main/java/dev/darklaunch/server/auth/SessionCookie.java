package dev.darklaunch.server.auth;

import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The browser side of a session: the cookie that carries its secret, and the checks that keep
 * other sites from using it — the CSRF token that writes must echo, and the Origin they may come
 * from. Pure functions, so they are tested on their own.
 */
public final class SessionCookie {

    public static final String NAME = "darklaunch_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final int MAX_SECRET_LENGTH = 256;

    private SessionCookie() {
    }

    /**
     * The Set-Cookie value that stores a session secret: sent back on every request to this site
     * (Path=/), unreadable by scripts (HttpOnly), never sent on requests started by other sites
     * (SameSite=Strict), and only over TLS when the page was loaded over TLS (Secure). No Max-Age:
     * the server decides when a session ends.
     */
    public static String set(String secret, boolean secure) {
        return NAME + "=" + secret + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that makes the browser forget the session cookie. */
    public static String clear(boolean secure) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Whether the request reached us over https, directly or through a TLS-terminating proxy. */
    public static boolean secure(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Proto");
        return request.isSSL() || (forwarded != null && forwarded.split(",")[0].trim().equalsIgnoreCase("https"));
    }

    /** Whether a cookie value can be a session secret at all (checked before any lookup). */
    public static boolean plausible(String secret) {
        return secret != null && !secret.isEmpty() && secret.length() <= MAX_SECRET_LENGTH
                && secret.chars().allMatch(c -> c > ' ' && c <= '~');
    }

    /** Constant-time comparison of the CSRF token sent with a request and the session's. */
    public static boolean csrfMatches(String sent, String expected) {
        if (sent == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether an Origin header names this server: its host and port must be those the request was
     * addressed to (Host, or X-Forwarded-Host behind a proxy). Default ports are ignored on both
     * sides, so {@code https://example.com} matches {@code Host: example.com:443}. A request
     * without Origin is not judged here (the CSRF token still is); {@code Origin: null} never matches.
     * Browsers do not let a page on another site set X-Forwarded-Host without a CORS preflight,
     * which this server never grants, so trusting it here gives an attacker nothing.
     */
    public static boolean sameOrigin(String origin, String host, String forwardedHost) {
        String authority = authority(origin);
        if (authority == null) {
            return false;
        }
        return authority.equals(normalizeHost(host)) || (forwardedHost != null
                && authority.equals(normalizeHost(forwardedHost.split(",")[0])));
    }

    private static String authority(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalizeHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.endsWith(":80") || h.endsWith(":443")) {
            h = h.substring(0, h.lastIndexOf(':'));
        }
        return h;
    }
}
