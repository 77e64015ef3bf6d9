package io.mcprelay.domain.access;

import io.mcprelay.domain.jsonrpc.RequestId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A refusal, as a value: why, a message for the client, the id of the request it answers when
 * one is known (JSON-RPC error bodies carry {@code "id": null} otherwise), and what the client may
 * need to recover, as the JSON text of the error's {@code data} member (for example the protocol
 * versions that would have been accepted), and, for a refusal that passes with time (a rate limit),
 * how long the client should wait before trying again ({@code Retry-After}).
 */
public record Rejection(RejectionReason reason, String detail, Optional<RequestId> requestId, Optional<String> dataJson,
                        Optional<Duration> retryAfter) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(dataJson, "dataJson");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Rejection(RejectionReason reason, String detail, Optional<RequestId> requestId, Optional<String> dataJson) {
        this(reason, detail, requestId, dataJson, Optional.empty());
    }

    public Rejection(RejectionReason reason, String detail, Optional<RequestId> requestId) {
        this(reason, detail, requestId, Optional.empty());
    }

    public static Rejection of(RejectionReason reason, String detail) {
        return new Rejection(reason, detail, Optional.empty(), Optional.empty());
    }

    public Rejection answering(RequestId id) {
        return new Rejection(reason, detail, Optional.of(id), dataJson, retryAfter);
    }

    /** This rejection with {@code json} (a complete JSON value) as the error's {@code data}. */
    public Rejection withData(String json) {
        return new Rejection(reason, detail, requestId, Optional.of(json), retryAfter);
    }

    /** This rejection telling the client to retry after {@code wait} ({@code Retry-After}). */
    public Rejection withRetryAfter(Duration wait) {
        return new Rejection(reason, detail, requestId, dataJson, Optional.of(wait));
    }
}
