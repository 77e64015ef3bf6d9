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
     * Stop: a client's request is answered with this JSON-RPC error and the upstream is not called;
     * a response is replaced by this error for the same id (its peer waits for an answer); a
     * notification, or a request inside an event stream, is dropped.
     */
    record Block(int code, String message) implements Decision {
        public Block {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Stop: answer a client's request with {@code resultJson} as its result, without the upstream;
     * a response gets {@code resultJson} as its result instead of its own.
     */
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
