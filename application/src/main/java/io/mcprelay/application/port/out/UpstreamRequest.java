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
 * @param budget    which of the upstream's budgets of open exchanges the exchange takes a place from
 */
public record UpstreamRequest(UpstreamTarget target, Method method, Map<String, String> headers,
                              Optional<UpstreamSessionId> sessionId, byte[] body, Budget budget) {

    public enum Method { GET, POST, DELETE }

    /**
     * The upstream's two budgets of open exchanges: requests (and the streams that answer them, also
     * when re-attached by GET after an instance died), and standalone GET streams, which live long
     * and so must not take the places short requests need.
     */
    public enum Budget { REQUEST, STREAM }

    /** A request whose budget follows from its method: GET takes a stream's place, anything else a request's. */
    public UpstreamRequest(UpstreamTarget target, Method method, Map<String, String> headers,
                           Optional<UpstreamSessionId> sessionId, byte[] body) {
        this(target, method, headers, sessionId, body, method == Method.GET ? Budget.STREAM : Budget.REQUEST);
    }

    public UpstreamRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(budget, "budget");
    }
}
