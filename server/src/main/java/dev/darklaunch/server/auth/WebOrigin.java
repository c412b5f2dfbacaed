package dev.darklaunch.server.auth;

import dev.darklaunch.server.failures.Failure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A web origin as a browser sends it in the {@code Origin} header: {@code scheme://host[:port]},
 * lower case, without the scheme's default port. Client tokens list these. No wildcards: a
 * pattern such as {@code https://*.example.com} would also admit any page a subdomain takeover
 * puts there, and listing the few origins a front end really has costs little.
 */
public final class WebOrigin {

    /** The most origins one client token lists. */
    public static final int MAX_PER_TOKEN = 20;
    private static final int MAX_LENGTH = 300;

    private WebOrigin() {
    }

    /**
     * The origin written as browsers send it.
     *
     * @throws Failure 400 naming {@code field} unless the text is an http(s) origin without path, query or wildcard
     */
    public static String parse(String field, String text) {
        String hint = "an origin is scheme://host[:port], such as https://shop.example.com or http://localhost:5173";
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            throw Failure.invalid(field, hint);
        }
        if (text.contains("*")) {
            throw Failure.invalid(field, "wildcards are not accepted; list each origin whose pages use the token");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw Failure.invalid(field, "'" + text + "' is not an origin; " + hint);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw Failure.invalid(field, "origins use http or https; " + hint);
        }
        if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Failure.invalid(field, "'" + text + "' is not an origin; " + hint);
        }
        if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw Failure.invalid(field, "an origin has no path, query or fragment (not even a trailing '/'); " + hint);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
