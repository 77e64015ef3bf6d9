package io.mcprelay.domain.access;

import io.mcprelay.domain.jsonrpc.RequestId;
import java.util.Objects;
import java.util.Optional;

/**
 * A refusal, as a value: why, a message for the client, and the id of the request it answers when
 * one is known (JSON-RPC error bodies carry {@code "id": null} otherwise).
 */
public record Rejection(RejectionReason reason, String detail, Optional<RequestId> requestId) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(requestId, "requestId");
    }

    public static Rejection of(RejectionReason reason, String detail) {
        return new Rejection(reason, detail, Optional.empty());
    }

    public Rejection answering(RequestId id) {
        return new Rejection(reason, detail, Optional.of(id));
    }
}
