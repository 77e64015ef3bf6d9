package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.StreamKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The upstream side of relay sessions, as the upstream port needs it, and what of the client travels with it. */
final class UpstreamSessions {

    private UpstreamSessions() {
    }

    /**
     * What of the client's request the policy lets travel upstream (a {@code Cookie} without
     * mcp-relay's own cookies, credentials only when configured). When clients authenticate, the
     * bearer token of the request (validated before the request reached a use case) travels beside
     * them, for an upstream that exchanges it (RFC 8693); it is never forwarded as it is.
     */
    static ClientContext clientContext(Map<String, String> clientValues, HeaderPolicy policy) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<String> token = Optional.empty();
        for (Map.Entry<String, String> header : clientValues.entrySet()) {
            String name = header.getKey();
            policy.forwardedUpstream(name, header.getValue()).ifPresent(v -> out.put(name, v));
            if (policy.clientsAuthenticate() && name.equalsIgnoreCase("authorization")) {
                token = bearerToken(header.getValue());
            }
        }
        return new ClientContext(out, token);
    }

    /** The token of an {@code Authorization: Bearer <token>} value (scheme case-insensitive, RFC 6750 §2.1). */
    static Optional<String> bearerToken(String authorization) {
        String value = authorization.strip();
        if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = value.substring(7).strip();
            return token.isEmpty() || token.indexOf(' ') >= 0 || token.indexOf(',') >= 0 ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }

    /** The upstream side of {@code session} on {@code target}, for a request that brings {@code client}. */
    static UpstreamSession of(UpstreamTarget target, Session session, ClientContext client) {
        return UpstreamSession.established(target, session.upstreamSessionId(), session.protocolVersion(), client);
    }

    /**
     * Re-attaches to a stream of {@code session} after the upstream's cursor. The place comes from
     * the budget of the stream's {@code kind}: a POST's stream stays a request's, so that taking over
     * thousands of tool calls is bounded by the requests' budget they were started under, not by the
     * standalone streams' one.
     */
    static UpstreamReconnect reattach(UpstreamPort upstream, UpstreamSession session, StreamKind kind) {
        UpstreamPort.Budget budget = kind == StreamKind.STANDALONE ? UpstreamPort.Budget.STREAM : UpstreamPort.Budget.REQUEST;
        return cursor -> {
            UpstreamReply reply = upstream.resume(session, cursor, budget);
            if (reply instanceof UpstreamReply.Events events) {
                return Optional.of(events.events());
            }
            reply.close();
            return Optional.empty();
        };
    }
}
