package io.mcprelay.application.port.out;

import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to an upstream's MCP endpoint.
 *
 * @param target    the upstream
 * @param method    the HTTP method
 * @param headers   headers to send as they are (already filtered by the header policy); the
 *                  adapter adds {@code Mcp-Session-Id} from {@code sessionId}
 * @param sessionId the upstream's session id, when the session has one
 * @param body      the body to send, empty for GET and DELETE
 */
public record UpstreamRequest(UpstreamTarget target, Method method, Map<String, String> headers,
                              Optional<UpstreamSessionId> sessionId, byte[] body) {

    public enum Method { GET, POST, DELETE }

    public UpstreamRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(body, "body");
    }
}
