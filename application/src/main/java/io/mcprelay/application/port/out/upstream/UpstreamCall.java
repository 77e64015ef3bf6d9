package io.mcprelay.application.port.out.upstream;

import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.util.Objects;

/**
 * One JSON-RPC payload for the upstream, within a session (or, for a 2026-07-28 request, a
 * {@link UpstreamSession#stateless stateless} one). {@code bytes} are sent as they are (the
 * client's original bytes, or an interceptor's rewrite), exactly once; {@code payload} is the same
 * payload decoded, so that an adapter can tell requests from notifications and match answers to
 * request ids without parsing again.
 *
 * @param session where the payload goes
 * @param payload the decoded payload
 * @param bytes   its JSON text, to send unchanged
 * @param budget  the upstream budget its answer takes a place from: {@link UpstreamPort.Budget#REQUEST}
 *                for every request but a long-lived one ({@code subscriptions/listen}), which is
 *                counted and bounded like a standalone stream and whose answer waits for the
 *                upstream's next event without a read timeout
 */
public record UpstreamCall(UpstreamSession session, JsonRpcPayload payload, byte[] bytes, UpstreamPort.Budget budget) {

    public UpstreamCall {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(budget, "budget");
    }

    /** A call whose answer takes a request's place. */
    public UpstreamCall(UpstreamSession session, JsonRpcPayload payload, byte[] bytes) {
        this(session, payload, bytes, UpstreamPort.Budget.REQUEST);
    }

    /** Whether the answer is a long-lived stream (counted as a stream, read without a timeout). */
    public boolean longLived() {
        return budget == UpstreamPort.Budget.STREAM;
    }
}
