package io.mcprelay.application.service;

import io.mcprelay.application.port.out.UpstreamResponse;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.StreamKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.application.port.out.UpstreamRequest;
import io.mcprelay.domain.routing.UpstreamTarget;

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

    /** The client's headers that the policy lets through to the upstream (a Cookie header without mcp-relay's own cookies). */
    static Map<String, String> allowed(Map<String, String> clientHeaders, HeaderPolicy policy) {
        Map<String, String> out = new LinkedHashMap<>();
        clientHeaders.forEach((name, value) -> policy.forwardedUpstream(name, value).ifPresent(v -> out.put(name, v)));
        return out;
    }

    /**
     * Re-attaches to a stream of {@code session} on {@code target}: GET with the upstream's own last
     * event id, the headers of the original request but with {@code Accept: text/event-stream}. The
     * GET takes its place from the budget of the stream's {@code kind}: a POST's stream stays a
     * request's, so that taking over thousands of tool calls is bounded by the requests' budget
     * they were started under, not by the standalone streams' one.
     */
    static UpstreamReconnect reattach(UpstreamPort upstream, UpstreamTarget target, Session session, Map<String, String> headers,
                                      StreamKind kind) {
        UpstreamRequest.Budget budget = kind == StreamKind.STANDALONE ? UpstreamRequest.Budget.STREAM : UpstreamRequest.Budget.REQUEST;
        return cursor -> {
            Map<String, String> get = new LinkedHashMap<>(headers);
            get.keySet().removeIf(k -> k.equalsIgnoreCase("accept") || k.equalsIgnoreCase("content-type"));
            get.put("Accept", "text/event-stream");
            get.put("Last-Event-ID", cursor);
            UpstreamResponse response = upstream.exchange(new UpstreamRequest(target, UpstreamRequest.Method.GET, get,
                    session.upstreamSessionId(), new byte[0], budget));
            if (response instanceof UpstreamResponse.EventStream stream) {
                return Optional.of(stream.events());
            }
            RelayService.closeQuietly(response);
            return Optional.empty();
        };
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
