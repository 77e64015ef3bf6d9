package io.mcprelay.domain.intercept;

import java.time.Duration;
import java.util.Objects;

/** What one interceptor decides for one message. */
public sealed interface Decision {

    /** Let the message go on unchanged. */
    Decision CONTINUE = new Continue();

    /** Let the message go on unchanged. */
    record Continue() implements Decision {
    }

    /** Replace the message with {@code json} (one JSON-RPC message, UTF-8 text) and go on. */
    record Modify(String json) implements Decision {
        public Modify {
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * Stop: a request is answered with this JSON-RPC error and the upstream is not called; a
     * notification, a response or an event is dropped.
     */
    record Block(int code, String message) implements Decision {
        public Block {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Stop: answer a request with {@code resultJson} as its result, without the upstream. */
    record Mock(String resultJson) implements Decision {
        public Mock {
            Objects.requireNonNull(resultJson, "resultJson");
        }
    }

    /** Hold the message for {@code duration}, then go on. */
    record Delay(Duration duration) implements Decision {
        public Delay {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("a delay cannot be negative");
            }
        }
    }
}
