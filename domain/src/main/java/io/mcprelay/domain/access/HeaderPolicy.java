package io.mcprelay.domain.access;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which headers cross the proxy. Towards the upstream: the MCP headers ({@code Accept},
 * {@code Content-Type}, {@code MCP-Protocol-Version}, and unknown {@code Mcp-*} headers as they are),
 * {@code User-Agent}, the request's facts the inbound adapter sets itself ({@code X-Request-Id},
 * {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}: the adapter replaces
 * whatever the client sent under these names) and the W3C trace context ({@code traceparent},
 * {@code tracestate}, {@code baggage}); never the client's {@code Mcp-Session-Id} (the proxy sends the upstream's) or
 * {@code Last-Event-ID} (the proxy translates it); credentials ({@code Authorization}, {@code Cookie})
 * only when configured. Towards the client: unknown {@code Mcp-*} headers of the upstream's response,
 * never its session id. Names compare case-insensitively.
 *
 * <p>mcp-relay's own cookies (named {@value #OWN_COOKIE_PREFIX}{@code *}, e.g. the admin UI's) never reach
 * an upstream, even with credentials forwarded: cookies are not tied to ports, so a browser sends the
 * admin listener's cookie to the MCP listener of the same host too ({@link #forwardedUpstream}).
 *
 * <p>When clients authenticate to mcp-relay itself ({@code clientsAuthenticate}), their
 * {@code Authorization} header carries a token issued for mcp-relay, and it never reaches an upstream,
 * whatever {@code forwardCredentials} says: passing a token on to a service it was not issued for is
 * the "token passthrough" the MCP authorization specification forbids. Cookies still follow
 * {@code forwardCredentials}.
 *
 * @param forwardCredentials  whether {@code Authorization} and {@code Cookie} reach the upstream
 *                            (defaults to {@code false})
 * @param clientsAuthenticate whether clients present bearer tokens to mcp-relay (then
 *                            {@code Authorization} is never forwarded)
 */
public record HeaderPolicy(boolean forwardCredentials, boolean clientsAuthenticate) {

    /** Without client authentication. */
    public HeaderPolicy(boolean forwardCredentials) {
        this(forwardCredentials, false);
    }

    /** The name prefix of the cookies mcp-relay sets itself; such cookies are never forwarded upstream. */
    public static final String OWN_COOKIE_PREFIX = "mcp_relay_";

    private static final Set<String> ALWAYS_UPSTREAM = Set.of("accept", "content-type", "mcp-protocol-version", "user-agent",
            "x-request-id", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "traceparent", "tracestate", "baggage");
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
            return forwardCredentials && !n.equals("proxy-authorization") && !(clientsAuthenticate && n.equals("authorization"));
        }
        return ALWAYS_UPSTREAM.contains(n) || n.startsWith("mcp-");
    }

    /**
     * The value a client request header is forwarded upstream with, or empty if it is not forwarded:
     * as it is, except a {@code Cookie} header, which loses mcp-relay's own cookies (and is not sent at
     * all if none is left).
     */
    public Optional<String> forwardedUpstream(String name, String value) {
        if (!forwardsUpstream(name)) {
            return Optional.empty();
        }
        return name.equalsIgnoreCase("cookie") ? withoutOwnCookies(value) : Optional.of(value);
    }

    private static Optional<String> withoutOwnCookies(String header) {
        StringBuilder kept = new StringBuilder(header.length());
        for (String pair : header.split(";")) {
            String trimmed = pair.strip();
            if (trimmed.isEmpty() || trimmed.regionMatches(true, 0, OWN_COOKIE_PREFIX, 0, OWN_COOKIE_PREFIX.length())) {
                continue;
            }
            if (!kept.isEmpty()) {
                kept.append("; ");
            }
            kept.append(trimmed);
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(kept.toString());
    }

    /** Whether an upstream response header named {@code name} is passed back to the client. */
    public boolean forwardsDownstream(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("mcp-") && !NEVER_ACROSS.contains(n);
    }
}
