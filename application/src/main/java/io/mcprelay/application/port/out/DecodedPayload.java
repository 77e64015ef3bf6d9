package io.mcprelay.application.port.out;

import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.util.Objects;

/** The result of decoding: a payload, JSON that is no JSON-RPC payload, or no JSON at all. */
public sealed interface DecodedPayload {

    record Decoded(JsonRpcPayload payload) implements DecodedPayload {
        public Decoded {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** Well-formed JSON that is not a valid JSON-RPC message or batch. */
    record Invalid(String reason) implements DecodedPayload {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Not JSON (or not UTF-8). */
    record Malformed(String reason) implements DecodedPayload {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
