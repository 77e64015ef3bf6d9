package io.mcprelay.domain.jsonrpc;

import java.util.Objects;
import java.util.Optional;

/**
 * A JSON-RPC error response that mcp-relay writes itself (a refusal, or a stream that ended before
 * its response), with the id of the request it answers, or {@code null} when none is known.
 */
public record JsonRpcError(Optional<RequestId> id, int code, String message, Optional<String> dataJson) {

    public JsonRpcError {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(dataJson, "dataJson");
    }

    /** An error without {@code data}. */
    public JsonRpcError(Optional<RequestId> id, int code, String message) {
        this(id, code, message, Optional.empty());
    }

    /** The error as a compact JSON document; {@code data}, when there is one, is written as given (a JSON value). */
    public String toJson() {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id.map(RequestId::toJson).orElse("null")
                + ",\"error\":{\"code\":" + code + ",\"message\":" + new RequestId.StringId(message).toJson()
                + dataJson.map(data -> ",\"data\":" + data).orElse("") + "}}";
    }
}
