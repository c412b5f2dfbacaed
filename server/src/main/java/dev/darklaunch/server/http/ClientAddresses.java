package dev.darklaunch.server.http;

import dev.darklaunch.sdk.internal.model.Cidr;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Who a client is, for the limits that count per client (connections, failed sign-ins).
 *
 * <p>It is the address at the other end of the TCP connection. {@code X-Forwarded-For} is believed
 * only from the load balancers and proxies named in {@code DARKLAUNCH_TRUSTED_PROXIES}: from
 * anyone else it is a header the client wrote itself, and believing it would let one client pose
 * as many (escaping the limits) or as someone else (to get them refused). Behind a trusted proxy,
 * the client is the nearest address in the header that is not itself a trusted proxy, so entries
 * a client prepended are never taken for its own.
 *
 * <p>IPv6 clients are counted per /64 network, the block one subscriber usually gets: counting
 * single IPv6 addresses would give every client 2^64 fresh identities.
 */
public final class ClientAddresses {

    /** Believes no proxy: the default. */
    public static final ClientAddresses DIRECT = new ClientAddresses(List.of());

    private final List<String> proxies;
    private final List<Cidr> ranges;

    private ClientAddresses(List<String> proxies) {
        this.proxies = List.copyOf(proxies);
        this.ranges = proxies.stream().map(range -> Cidr.parse(range).orElseThrow()).toList();
    }

    /**
     * From {@code DARKLAUNCH_TRUSTED_PROXIES}: addresses or CIDR ranges separated by commas
     * (such as {@code 10.0.0.0/8, 192.168.1.7}); blank for none.
     */
    public static ClientAddresses trusting(String name, String value) {
        if (value == null || value.isBlank()) {
            return DIRECT;
        }
        List<String> proxies = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String range : proxies) {
            if (Cidr.parse(range).isEmpty()) {
                throw new IllegalArgumentException(name + " must list IP addresses or CIDR ranges separated by commas, got '"
                        + range + "'");
            }
        }
        return new ClientAddresses(proxies);
    }

    /** The client of a request, grouped as limits count it. */
    public String of(HttpServerRequest request) {
        return of(host(request.remoteAddress()), request.headers().getAll("X-Forwarded-For"));
    }

    /** The client behind a connection from {@code peer} whose request carried these X-Forwarded-For headers. */
    String of(String peer, List<String> forwardedFor) {
        if (!isTrustedProxy(peer)) {
            return group(peer);
        }
        String[] hops = String.join(",", forwardedFor).split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty() || hop.contains("/") || Cidr.parse(hop).isEmpty()) {
                break; // not an address: stop at the last one we could believe
            }
            client = hop;
            if (!isTrustedProxy(hop)) {
                break;
            }
        }
        return group(client);
    }

    /** Whether connections from this peer come through a trusted proxy, which speaks for many clients. */
    public boolean isTrustedProxy(String peer) {
        for (Cidr range : ranges) {
            if (range.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /** The host part of a socket address ("" for a Unix socket, which has none). */
    public static String host(SocketAddress address) {
        return address == null || address.hostAddress() == null ? "" : address.hostAddress();
    }

    /** An IPv4 address as it is; an IPv6 address as its /64 network ({@code 2001:db8:1:2::/64}). */
    public static String group(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal: never a DNS lookup
            if (bytes.length != 16) {
                return InetAddress.getByAddress(bytes).getHostAddress(); // IPv4-mapped
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress().replaceFirst("(:0)+$", "::") + "/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }

    @Override
    public String toString() {
        return proxies.isEmpty() ? "none" : String.join(",", proxies);
    }
}
