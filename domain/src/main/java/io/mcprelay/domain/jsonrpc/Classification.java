package io.mcprelay.domain.jsonrpc;

import java.util.Objects;

/** The verdict on one decoded JSON object: a message, or the reason it is not a valid one. */
public sealed interface Classification {

    record Valid(JsonRpcMessage message) implements Classification {
        public Valid {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Not a valid JSON-RPC 2.0 message; {@code reason} says why, in words fit for a client. */
    record Invalid(String reason) implements Classification {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
