package dev.darklaunch.server.webhooks;

import dev.darklaunch.server.failures.Failure;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may send: http or https URLs of public hosts.
 *
 * <p>A webhook makes the server send requests wherever an editor says, so it could be turned on
 * services only the server can reach (server-side request forgery): cloud metadata endpoints,
 * admin ports on the private network, the database. So unless {@code privateAddresses} is set,
 * receivers on loopback, private, link-local (metadata), carrier-grade NAT, multicast and
 * unspecified addresses are refused. The check runs on each delivery against the addresses the
 * name resolves to then, and the request goes to the address that was checked (so a name that
 * later resolves elsewhere — DNS rebinding — gains nothing). Redirects are not followed.
 *
 * <p>With {@code privateAddresses} set (development, tests), one port stays refused whatever the
 * setting: the server's own database ({@code databasePort} on loopback or on {@code databaseHost}),
 * so that someone who may edit webhooks cannot make the server talk to it.
 */
final class Destinations {

    static final int MAX_URL_LENGTH = 2000;

    /** A receiver's URL, checked for form. */
    record Target(URI uri, String host, int port, boolean tls) {
        String path() {
            String raw = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? raw : raw + "?" + uri.getRawQuery();
        }
    }

    private final boolean privateAddresses;
    private final String databaseHost;
    private final int databasePort;

    Destinations(boolean privateAddresses, String databaseHost, int databasePort) {
        this.privateAddresses = privateAddresses;
        this.databaseHost = databaseHost;
        this.databasePort = databasePort;
    }

    /**
     * The URL's form, and its host when that is an address or {@code localhost}: what can be told
     * without asking DNS (names are checked again on every delivery).
     *
     * @throws Failure.Invalid naming {@code url}
     */
    Target check(String url) {
        Target target = parse(url);
        String host = target.host();
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            refuseIfNot(InetAddress.getLoopbackAddress(), target);
        } else {
            // Netty parses address literals without ever asking DNS (InetAddress.getByName would, for
            // a name), so nothing here blocks the event loop
            byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
            if (literal != null) {
                try {
                    refuseIfNot(InetAddress.getByAddress(literal), target);
                } catch (UnknownHostException e) {
                    throw Failure.invalid("url", "url has a host that is not a valid address: " + host);
                }
            } else if (host.matches("[0-9.]+")) {
                throw Failure.invalid("url", "url has a host that is not a valid address: " + host);
            }
        }
        return target;
    }

    /** Resolves the host (blocking: call it off the event loop) and picks an address that may be reached. */
    InetAddress resolve(Target target) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(target.host());
        for (InetAddress address : addresses) {
            // one refused address refuses the name: a name that mixes them is not to be trusted
            refuseIfNot(address, target);
        }
        return addresses[0];
    }

    static Target parse(String url) {
        if (url == null || url.isBlank()) {
            throw Failure.invalid("url", "url is required: the http or https address that receives the events");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw Failure.invalid("url", "url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw Failure.invalid("url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw Failure.invalid("url", "url must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw Failure.invalid("url", "url must not carry a user name or password; the signature authenticates deliveries");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Failure.invalid("url", "url needs a host name");
        }
        if (uri.getRawFragment() != null) {
            throw Failure.invalid("url", "url must not have a fragment (#…)");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // "localhost." is localhost
        }
        return new Target(uri, host, port, tls);
    }

    private void refuseIfNot(InetAddress address, Target target) {
        if (isDatabase(address, target)) {
            throw Failure.invalid("url", "url points at the server's own database; webhooks cannot be sent there");
        }
        if (!privateAddresses && isInternal(address)) {
            throw Failure.invalid("url", "url points at a loopback, private or link-local address (" + address.getHostAddress()
                    + "); webhooks go to public addresses only");
        }
    }

    private boolean isDatabase(InetAddress address, Target target) {
        if (target.port() != databasePort) {
            return false;
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || target.host().equals(databaseHost)) {
            return true;
        }
        return address.getHostAddress().equals(databaseHost);
    }

    /** Addresses that are not on the public internet. */
    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0                                   // "this network"
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19))   // benchmarking
                    || first >= 240;                              // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            if (isMappedIpv4(bytes)) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[]{bytes[12], bytes[13], bytes[14], bytes[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isMappedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
