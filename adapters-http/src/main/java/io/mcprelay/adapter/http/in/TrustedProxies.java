package io.mcprelay.adapter.http.in;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The addresses (CIDR blocks) of the proxies in front of mcp-relay whose {@code X-Forwarded-*}
 * headers are believed. A request from any other peer has those headers replaced: its
 * {@code X-Forwarded-For} becomes the peer's address alone, and proto and host what mcp-relay saw.
 * Empty (the default): no client is trusted.
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;
    private final List<String> texts;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
        this.texts = this.blocks.stream().map(Block::toString).toList();
    }

    /**
     * Parses CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}) or single addresses ({@code 127.0.0.1});
     * literal addresses only, no host names.
     *
     * @throws IllegalArgumentException naming the first entry that is not one
     */
    public static TrustedProxies parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            blocks.add(Block.parse(cidr.strip()));
        }
        return new TrustedProxies(blocks);
    }

    /** Whether {@code address} (a literal IP address) lies in a trusted block. */
    public boolean trusts(String address) {
        if (blocks.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The blocks in their canonical form ({@code address/prefix}), for {@code --print-config}. */
    public List<String> blocks() {
        return texts;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The bytes of a literal IPv4 or IPv6 address, or null for anything else (never a DNS lookup). */
    static byte[] literal(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9'))) {
            return null;
        }
        if (t.indexOf(':') < 0 && t.chars().filter(c -> c == '.').count() != 3) {
            return null;    // InetAddress would read "1.2.3" as 1.2.0.3
        }
        if (t.indexOf(':') >= 0 && !t.chars().allMatch(c -> c == ':' || c == '.' || c == '%' || Character.digit(c, 16) >= 0)) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();    // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Block(byte[] network, int prefix) {

        static Block parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = literal(address);
            if (bytes == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: \"" + text + "\"");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a CIDR prefix length: \"" + text + "\"");
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("CIDR prefix length out of range (0-" + bytes.length * 8 + "): \"" + text + "\"");
                }
            }
            return new Block(mask(bytes, prefix), prefix);
        }

        private static byte[] mask(byte[] bytes, int prefix) {
            byte[] out = bytes.clone();
            for (int i = 0; i < out.length; i++) {
                int bits = Math.max(0, Math.min(8, prefix - i * 8));
                out[i] = (byte) (out[i] & (0xFF << (8 - bits)));
            }
            return out;
        }

        boolean contains(byte[] address) {
            return address.length == network.length && java.util.Arrays.equals(mask(address, prefix), network);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Block other && other.prefix == prefix && java.util.Arrays.equals(other.network, network);
        }

        @Override
        public int hashCode() {
            return Objects.hash(prefix, java.util.Arrays.hashCode(network));
        }
    }
}
