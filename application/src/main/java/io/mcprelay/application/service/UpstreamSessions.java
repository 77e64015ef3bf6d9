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
     * mcp-relay's own cookies, credentials only when configured).
     */
    static ClientContext clientContext(Map<String, String> clientValues, HeaderPolicy policy) {
        Map<String, String> out = new LinkedHashMap<>();
        clientValues.forEach((name, value) -> policy.forwardedUpstream(name, value).ifPresent(v -> out.put(name, v)));
        return new ClientContext(out);
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
