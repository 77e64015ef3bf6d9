package io.mcprelay.application.service;

import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.MessageFacts;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.Session;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the interceptors know about one exchange with the upstream (a POST and its answer, or a GET
 * stream): the session, the upstream, and the client's requests, so that a response is matched on
 * the method and tool of the request it answers.
 *
 * @param intercepted {@code false} for the initialize exchange, which passes untouched
 */
record Exchange(boolean intercepted, Optional<String> session, Optional<String> upstream, Map<RequestId, JsonRpcMessage.Request> requests) {

    /** An exchange the interceptors do not see: the initialize that opens a session. */
    static final Exchange NONE = new Exchange(false, Optional.empty(), Optional.empty(), Map.of());

    Exchange {
        requests = Map.copyOf(requests);
    }

    /** The exchange of {@code session} for {@code payload} (whose requests the answers will answer). */
    static Exchange of(Session session, JsonRpcPayload payload) {
        Map<RequestId, JsonRpcMessage.Request> requests = new HashMap<>();
        for (JsonRpcMessage message : payload.messages()) {
            if (message instanceof JsonRpcMessage.Request request) {
                requests.put(request.id(), request);
            }
        }
        return new Exchange(true, Optional.of(session.id().value()), Optional.of(session.upstream()), requests);
    }

    /** A stream of {@code session} that answers no request of ours (a GET stream). */
    static Exchange of(Session session) {
        return new Exchange(true, Optional.of(session.id().value()), Optional.of(session.upstream()), Map.of());
    }

    /** What a rule can match {@code message} on when it travels {@code direction}. */
    MessageFacts factsOf(Direction direction, JsonRpcMessage message) {
        Optional<JsonRpcMessage.Request> answered = switch (message) {
            case JsonRpcMessage.Response response -> Optional.ofNullable(requests.get(response.id()));
            case JsonRpcMessage.ErrorResponse error -> error.id().map(requests::get);
            default -> Optional.empty();
        };
        Optional<String> method = switch (message) {
            case JsonRpcMessage.Request request -> Optional.of(request.method());
            case JsonRpcMessage.Notification notification -> Optional.of(notification.method());
            default -> answered.map(JsonRpcMessage.Request::method);
        };
        Optional<String> tool = message instanceof JsonRpcMessage.Request request
                ? request.facts().toolName()
                : answered.flatMap(request -> request.facts().toolName());
        return new MessageFacts(direction, method, tool, session, upstream);
    }
}
