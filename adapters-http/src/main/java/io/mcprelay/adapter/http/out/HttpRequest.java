package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.upstream.UpstreamPort.Budget;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.net.URI;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request to an upstream's MCP endpoint, as {@link HttpUpstreamAdapter} makes it from a
 * call of the upstream port.
 *
 * @param target    the upstream
 * @param method    the HTTP method
 * @param headers   headers to send as they are (already filtered by the header policy); the
 *                  adapter adds {@code Mcp-Session-Id} from {@code sessionId}
 * @param sessionId the upstream's session id, when the session has one
 * @param body      the body to send, empty for GET and DELETE
 * @param budget    which of the upstream's budgets of open exchanges the exchange takes a place from
 */
record HttpRequest(UpstreamTarget target, Method method, Map<String, String> headers,
                              Optional<UpstreamSessionId> sessionId, byte[] body, Budget budget) {

    public enum Method { GET, POST, DELETE }

    /** A request whose budget follows from its method: GET takes a stream's place, anything else a request's. */
    HttpRequest(UpstreamTarget target, Method method, Map<String, String> headers,
                           Optional<UpstreamSessionId> sessionId, byte[] body) {
        this(target, method, headers, sessionId, body, method == Method.GET ? Budget.STREAM : Budget.REQUEST);
    }

    HttpRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(budget, "budget");
    }

    /**
     * Whether its answer may stay open for as long as the upstream has nothing to say: a POST under
     * the streams' budget (a 2026-07-28 {@code subscriptions/listen}). Both clients read its event
     * stream without the read timeout; its response head keeps its deadline.
     */
    boolean longLived() {
        return method == Method.POST && budget == Budget.STREAM;
    }

    /**
     * The target's MCP endpoint.
     *
     * @throws IllegalArgumentException for a target of another transport (the dispatcher never hands one here)
     */
    URI endpoint() {
        if (target.transport() instanceof UpstreamTransport.Http http) {
            return http.endpoint();
        }
        throw new IllegalArgumentException("upstream " + target.name() + " is not an HTTP upstream: " + target.address());
    }
}
