package dev.darklaunch.sdk.internal.model;

import java.util.Optional;

/**
 * An IPv4 or IPv6 address range in CIDR notation, such as {@code 10.0.0.0/8} or
 * {@code 2001:db8::/32}.
 *
 * <p>Only literal addresses are accepted; nothing is ever resolved through DNS. IPv4 is dotted
 * decimal with exactly four parts and no leading zeros (which some parsers read as octal). IPv6
 * is RFC 4291 text: eight groups of one to four hex digits, at most one {@code ::}, optionally
 * ending in dotted IPv4; zone ids ({@code %eth0}) are rejected. An address without a prefix length
 * is the range of that one address. Host bits beyond the prefix are cleared, so
 * {@code 10.1.2.3/8} is {@code 10.0.0.0/8}.
 *
 * @param ipv6 whether this is an IPv6 range
 * @param high the upper 64 bits of an IPv6 network address; 0 for IPv4
 * @param low the lower 64 bits of an IPv6 network address, or the IPv4 network address in the
 *     lower 32 bits
 * @param prefixLength the number of leading bits that are fixed: 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(boolean ipv6, long high, long low, int prefixLength) {
    private static final long IPV4_MAPPED_PREFIX = 0xffffL << 32;

    /** @throws IllegalArgumentException if the prefix length is out of range */
    public Cidr {
        if (prefixLength < 0 || prefixLength > (ipv6 ? 128 : 32)) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        if (!ipv6 && (high != 0 || (low >>> 32) != 0)) {
            throw new IllegalArgumentException("an IPv4 address has 32 bits");
        }
        high &= highMask(ipv6, prefixLength);
        low &= lowMask(ipv6, prefixLength);
    }

    /** The range {@code text} denotes, or empty if it is not a literal address with optional prefix. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        int addressEnd = slash < 0 ? text.length() : slash;
        boolean ipv6 = text.lastIndexOf(':', addressEnd) >= 0;
        int prefixLength = slash < 0 ? (ipv6 ? 128 : 32) : parsePrefixLength(text, slash + 1, ipv6 ? 128 : 32);
        if (prefixLength < 0) {
            return Optional.empty();
        }
        if (!ipv6) {
            long address = parseIpv4(text, 0, addressEnd);
            return address < 0 ? Optional.empty() : Optional.of(new Cidr(false, 0, address, prefixLength));
        }
        long[] address = new long[2];
        return parseIpv6(text, 0, addressEnd, address)
                ? Optional.of(new Cidr(true, address[0], address[1], prefixLength))
                : Optional.empty();
    }

    /**
     * Whether the literal address {@code ip} (no prefix) lies in this range. An IPv4-mapped IPv6
     * address ({@code ::ffff:10.1.2.3}), as dual-stack servers report IPv4 clients, is matched
     * against IPv4 ranges as its IPv4 address. Anything that is not a literal address, including a
     * host name, is not contained.
     */
    public boolean contains(String ip) {
        if (ip == null) {
            return false;
        }
        boolean ipIsV6 = ip.indexOf(':') >= 0;
        if (!ipIsV6 && ipv6) {
            return false;
        }
        if (!ipIsV6) {
            long address = parseIpv4(ip, 0, ip.length());
            return address >= 0 && (address & lowMask(false, prefixLength)) == low;
        }
        long[] address = new long[2];
        if (!parseIpv6(ip, 0, ip.length(), address)) {
            return false;
        }
        if (!ipv6) {
            boolean mapped = address[0] == 0 && (address[1] & 0xffff_ffff_0000_0000L) == IPV4_MAPPED_PREFIX;
            return mapped && (address[1] & 0xffff_ffffL & lowMask(false, prefixLength)) == low;
        }
        return (address[0] & highMask(true, prefixLength)) == high && (address[1] & lowMask(true, prefixLength)) == low;
    }

    private static long highMask(boolean ipv6, int prefixLength) {
        if (!ipv6 || prefixLength == 0) {
            return 0;
        }
        return prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    }

    private static long lowMask(boolean ipv6, int prefixLength) {
        int bits = ipv6 ? prefixLength - 64 : prefixLength; // fixed bits within the low word
        int width = ipv6 ? 64 : 32;
        if (bits <= 0) {
            return 0;
        }
        long ones = width == 64 ? -1L : 0xffff_ffffL;
        return bits >= width ? ones : ones & (-1L << (width - bits));
    }

    /** The decimal prefix length in {@code s[from, end)}, no leading zeros, at most {@code max}; or -1. */
    private static int parsePrefixLength(String s, int from, int max) {
        int n = s.length();
        if (from == n || n - from > 3 || (n - from > 1 && s.charAt(from) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    /** The IPv4 address in {@code s[from, to)} as an unsigned 32-bit value, or -1. */
    static long parseIpv4(String s, int from, int to) {
        long address = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || octet > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            address = (address << 8) | octet;
        }
        return i == to ? address : -1;
    }

    /** Parses the IPv6 address in {@code s[from, to)} into {@code out} (high, low); false if invalid. */
    static boolean parseIpv6(String s, int from, int to, long[] out) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = from;
        if (to - from >= 2 && s.charAt(from) == ':' && s.charAt(from + 1) == ':') {
            gap = 0;
            i += 2;
        }
        while (i < to) {
            int start = i;
            int group = 0;
            while (i < to && i - start < 4 && hexValue(s.charAt(i)) >= 0) {
                group = (group << 4) | hexValue(s.charAt(i));
                i++;
            }
            if (i < to && s.charAt(i) == '.') { // dotted IPv4 ends the address
                long ipv4 = count <= 6 ? parseIpv4(s, start, to) : -1;
                if (ipv4 < 0) {
                    return false;
                }
                groups[count++] = (int) (ipv4 >>> 16);
                groups[count++] = (int) (ipv4 & 0xffff);
                break;
            }
            if (i == start || count == 8) {
                return false;
            }
            groups[count++] = group;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':' || i + 1 == to) {
                return false;
            }
            i++;
            if (s.charAt(i) == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return false;
        }
        int[] full = new int[8];
        for (int k = 0; k < count; k++) {
            full[k < gap || gap < 0 ? k : k + 8 - count] = groups[k];
        }
        out[0] = pack(full, 0);
        out[1] = pack(full, 4);
        return true;
    }

    /** The value of an ASCII hex digit, or -1 (Character.digit would also take non-ASCII digits). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static long pack(int[] groups, int from) {
        long value = 0;
        for (int k = from; k < from + 4; k++) {
            value = (value << 16) | groups[k];
        }
        return value;
    }
}
