package io.mcprelay.domain.jsonrpc;

import java.util.Objects;
import java.util.Optional;

/**
 * One JSON-RPC 2.0 message, classified. The proxy forwards the original bytes, never a
 * re-serialisation of this model, so ids and every other field reach the peer exactly as sent.
 */
public sealed interface JsonRpcMessage {

    /** MCP's initialize method, which opens a session. */
    String INITIALIZE = "initialize";

    /** The facts extracted from the message (protocol version, client info, tool name). */
    McpFacts facts();

    /** {@code true} for a request that expects a response. */
    default boolean expectsResponse() {
        return this instanceof Request;
    }

    /** {@code true} for an {@code initialize} request. */
    default boolean isInitialize() {
        return this instanceof Request r && INITIALIZE.equals(r.method());
    }

    /** A request: has a method and a non-null id. */
    record Request(RequestId id, String method, McpFacts facts) implements JsonRpcMessage {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(facts, "facts");
        }
    }

    /** A notification: has a method and no id. */
    record Notification(String method, McpFacts facts) implements JsonRpcMessage {
        public Notification {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(facts, "facts");
        }
    }

    /** A successful response: has an id and a {@code result}. */
    record Response(RequestId id, McpFacts facts) implements JsonRpcMessage {
        public Response {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(facts, "facts");
        }
    }

    /**
     * An error response: has an {@code error}; its id is empty when the peer could not tell which
     * request failed ({@code "id": null}).
     */
    record ErrorResponse(Optional<RequestId> id, int code, String message) implements JsonRpcMessage {
        public ErrorResponse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public McpFacts facts() {
            return McpFacts.NONE;
        }
    }
}
