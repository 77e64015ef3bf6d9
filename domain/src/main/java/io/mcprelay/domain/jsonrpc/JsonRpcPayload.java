package io.mcprelay.domain.jsonrpc;

import java.util.List;
import java.util.Objects;

/** The body of one POST: a single message, or (protocol 2025-03-26 only) a batch. */
public sealed interface JsonRpcPayload {

    /** The messages in body order; one for {@link Single}. */
    List<JsonRpcMessage> messages();

    /** {@code true} if any message is a request, so the peer owes a response body. */
    default boolean expectsResponse() {
        return messages().stream().anyMatch(JsonRpcMessage::expectsResponse);
    }

    /** {@code true} if any message is an {@code initialize} request. */
    default boolean containsInitialize() {
        return messages().stream().anyMatch(JsonRpcMessage::isInitialize);
    }

    record Single(JsonRpcMessage message) implements JsonRpcPayload {
        public Single {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public List<JsonRpcMessage> messages() {
            return List.of(message);
        }
    }

    record Batch(List<JsonRpcMessage> messages) implements JsonRpcPayload {
        public Batch {
            messages = List.copyOf(messages);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("a batch holds at least one message");
            }
        }
    }
}
