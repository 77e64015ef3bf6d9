package io.mcprelay.application.service;

import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.MessageFacts;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * What the interceptors know about one exchange with the upstream (a POST and its answer, or a GET
 * stream): the session, the upstream, and the client's payload, so that a response is matched on
 * the method and tool of the request it answers. Cheap to make: it only holds references, and
 * looks a request up only when an interceptor asks.
 *
 * @param intercepted {@code false} for the initialize exchange, which passes untouched
 * @param requests    the payload whose requests the upstream's answers answer; empty for a GET stream
 * @param principal   who sent the request that opened the exchange, when clients authenticate
 */
record Exchange(boolean intercepted, Optional<String> session, Optional<String> upstream, Optional<JsonRpcPayload> requests,
                Optional<Principal> principal) {

    /** An exchange the interceptors do not see: the initialize that opens a session. */
    static final Exchange NONE = new Exchange(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Without a principal. */
    Exchange(boolean intercepted, Optional<String> session, Optional<String> upstream, Optional<JsonRpcPayload> requests) {
        this(intercepted, session, upstream, requests, Optional.empty());
    }

    /** The exchange of {@code session} for {@code payload} (whose requests the answers will answer), sent by {@code principal}. */
    static Exchange of(Session session, JsonRpcPayload payload, Optional<Principal> principal) {
        return new Exchange(true, Optional.of(session.id().value()), Optional.of(session.upstream()), Optional.of(payload), principal);
    }

    /** A stream of {@code session} that answers no request of ours (a GET stream), opened by {@code principal}. */
    static Exchange of(Session session, Optional<Principal> principal) {
        return new Exchange(true, Optional.of(session.id().value()), Optional.of(session.upstream()), Optional.empty(), principal);
    }

    /** What a rule can match {@code message} on when it travels {@code direction}. */
    MessageFacts factsOf(Direction direction, JsonRpcMessage message) {
        Optional<JsonRpcMessage.Request> answered = switch (message) {
            case JsonRpcMessage.Response response -> request(response.id());
            case JsonRpcMessage.ErrorResponse error -> error.id().flatMap(this::request);
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
        return new MessageFacts(direction, method, tool, session, upstream, principal);
    }

    private Optional<JsonRpcMessage.Request> request(RequestId id) {
        for (JsonRpcMessage message : requests.map(JsonRpcPayload::messages).orElse(List.of())) {
            if (message instanceof JsonRpcMessage.Request request && request.id().equals(id)) {
                return Optional.of(request);
            }
        }
        return Optional.empty();
    }
}
