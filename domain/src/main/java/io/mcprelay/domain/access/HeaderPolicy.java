package io.mcprelay.domain.access;

import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the proxy. Towards the upstream: the MCP headers ({@code Accept},
 * {@code Content-Type}, {@code MCP-Protocol-Version}, and unknown {@code Mcp-*} headers as they are),
 * {@code User-Agent}; never the client's {@code Mcp-Session-Id} (the proxy sends the upstream's) or
 * {@code Last-Event-ID} (the proxy translates it); credentials ({@code Authorization}, {@code Cookie})
 * only when configured. Towards the client: unknown {@code Mcp-*} headers of the upstream's response,
 * never its session id. Names compare case-insensitively.
 *
 * @param forwardCredentials whether {@code Authorization} and {@code Cookie} reach the upstream
 *                           (defaults to {@code false})
 */
public record HeaderPolicy(boolean forwardCredentials) {

    private static final Set<String> ALWAYS_UPSTREAM = Set.of("accept", "content-type", "mcp-protocol-version", "user-agent");
    private static final Set<String> NEVER_ACROSS = Set.of("mcp-session-id", "last-event-id");
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

    public static HeaderPolicy defaults() {
        return new HeaderPolicy(false);
    }

    /** Whether a client request header named {@code name} is forwarded upstream as it is. */
    public boolean forwardsUpstream(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (NEVER_ACROSS.contains(n)) {
            return false;
        }
        if (CREDENTIALS.contains(n)) {
            return forwardCredentials && !n.equals("proxy-authorization");
        }
        return ALWAYS_UPSTREAM.contains(n) || n.startsWith("mcp-");
    }

    /** Whether an upstream response header named {@code name} is passed back to the client. */
    public boolean forwardsDownstream(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("mcp-") && !NEVER_ACROSS.contains(n);
    }
}
