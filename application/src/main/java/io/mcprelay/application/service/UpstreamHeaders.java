package io.mcprelay.application.service;

import io.mcprelay.application.port.out.UpstreamResponse;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.session.Session;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds the header sets that cross the proxy, by the header policy. */
final class UpstreamHeaders {

    private UpstreamHeaders() {
    }

    /** Headers for a request in {@code session}: the client's allowed ones, with the negotiated version. */
    static Map<String, String> forSession(Map<String, String> clientHeaders, Session session, HeaderPolicy policy) {
        Map<String, String> out = allowed(clientHeaders, policy);
        out.keySet().removeIf(k -> k.equalsIgnoreCase("mcp-protocol-version"));
        out.put("MCP-Protocol-Version", session.protocolVersion().value());
        return out;
    }

    /** The client's headers that the policy lets through to the upstream. */
    static Map<String, String> allowed(Map<String, String> clientHeaders, HeaderPolicy policy) {
        Map<String, String> out = new LinkedHashMap<>();
        clientHeaders.forEach((name, value) -> {
            if (policy.forwardsUpstream(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    /** The upstream's response headers that the policy lets through to the client. */
    static Map<String, String> downstream(UpstreamResponse.Headers headers, HeaderPolicy policy) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.values().forEach((name, value) -> {
            if (policy.forwardsDownstream(name)) {
                out.put(name.toLowerCase(Locale.ROOT), value);
            }
        });
        return out;
    }
}
