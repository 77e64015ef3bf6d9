package io.mcprelay.adapter.http.in;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code X-Forwarded-For}, {@code -Proto} and {@code -Host} headers mcp-relay sends its HTTP
 * upstreams for one request. From a {@link TrustedProxies trusted} peer, the client's values are
 * read: the peer's address is appended to its {@code X-Forwarded-For}, and its proto and host are
 * kept. From any other peer they are replaced: the chain is the peer alone, the proto is the
 * listener's scheme and the host the request's {@code Host}. A trusted value that is malformed or
 * too long is replaced too, never passed on.
 */
public final class ForwardedHeaders {

    public static final String FOR = "X-Forwarded-For";
    public static final String PROTO = "X-Forwarded-Proto";
    public static final String HOST = "X-Forwarded-Host";
    /** The longest {@code X-Forwarded-For} chain read from a trusted proxy. */
    static final int MAX_CHAIN = 1024;
    static final int MAX_HOST = 255;

    private ForwardedHeaders() {
    }

    /**
     * @param peer       the connection's peer address ({@code "-"} when unknown)
     * @param trusted    whether the peer is a trusted proxy
     * @param sentFor    the request's {@code X-Forwarded-For}, if any (several joined with ", ")
     * @param sentProto  its {@code X-Forwarded-Proto}
     * @param sentHost   its {@code X-Forwarded-Host}
     * @param host       its {@code Host}
     * @param scheme     the listener's scheme, {@code http} or {@code https}
     * @return the headers, in that order; {@code X-Forwarded-Host} left out when there is no valid host
     */
    public static Map<String, String> of(String peer, boolean trusted, Optional<String> sentFor, Optional<String> sentProto,
                                         Optional<String> sentHost, Optional<String> host, String scheme) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<String> chain = trusted ? sentFor.map(String::strip).filter(ForwardedHeaders::validChain) : Optional.empty();
        out.put(FOR, chain.map(c -> c + ", " + peer).orElse(peer));
        Optional<String> proto = trusted ? sentProto.map(String::strip).filter(p -> p.equals("http") || p.equals("https")) : Optional.empty();
        out.put(PROTO, proto.orElse(scheme));
        Optional<String> forwardedHost = trusted ? sentHost.map(String::strip).filter(ForwardedHeaders::validHost) : Optional.empty();
        forwardedHost.or(() -> host.map(String::strip).filter(ForwardedHeaders::validHost)).ifPresent(h -> out.put(HOST, h));
        return out;
    }

    /** A list of addresses (or tokens such as {@code unknown}): no control characters, no quotes, bounded. */
    static boolean validChain(String chain) {
        if (chain.isEmpty() || chain.length() > MAX_CHAIN) {
            return false;
        }
        for (int i = 0; i < chain.length(); i++) {
            char c = chain.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ".:,[]_- ".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A host name or address with an optional port. */
    static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ".:[]-_".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
