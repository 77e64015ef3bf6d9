package io.mcprelay.application.port.out.upstream;

import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.util.Objects;

/**
 * One JSON-RPC payload for the upstream, within a session. {@code bytes} are sent as they are (the
 * client's original bytes, or an interceptor's rewrite), exactly once; {@code payload} is the same
 * payload decoded, so that an adapter can tell requests from notifications and match answers to
 * request ids without parsing again.
 *
 * @param session where the payload goes
 * @param payload the decoded payload
 * @param bytes   its JSON text, to send unchanged
 */
public record UpstreamCall(UpstreamSession session, JsonRpcPayload payload, byte[] bytes) {

    public UpstreamCall {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(bytes, "bytes");
    }
}
