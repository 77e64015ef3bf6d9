package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an upstream answered to one HTTP request, decided by its status and {@code Content-Type}
 * ({@link AnswerClassifier}); {@link McpReplies} then says what it means in MCP. {@link EventStream}
 * and {@link Passthrough} hold the open upstream connection: close them.
 */
sealed interface HttpAnswer {

    /** A 2xx answer with {@code application/json}, read whole (bounded by the adapter's limit). */
    record Json(int status, Headers headers, byte[] body) implements HttpAnswer {
        public Json {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
        }
    }

    /** A 2xx answer with {@code text/event-stream}, to be read event by event. */
    record EventStream(int status, Headers headers, UpstreamEvents events) implements HttpAnswer, AutoCloseable {
        public EventStream {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(events, "events");
        }

        @Override
        public void close() {
            events.close();
        }
    }

    /** A 2xx answer without a body (202 Accepted for notifications and responses). */
    record Accepted(int status, Headers headers) implements HttpAnswer {
        public Accepted {
            Objects.requireNonNull(headers, "headers");
        }
    }

    /** A 2xx answer of another type, to be streamed through unchanged. */
    record Passthrough(int status, Headers headers, String contentType, InputStream body) implements HttpAnswer, AutoCloseable {
        public Passthrough {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (java.io.IOException ignored) {
                // the connection is being released either way
            }
        }
    }

    /** A non-2xx answer; the body is read up to the adapter's limit. */
    record Failed(int status, Headers headers, String contentType, byte[] body) implements HttpAnswer {
        public Failed {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    /** No usable HTTP answer: the upstream could not be reached, timed out, or spoke no HTTP. */
    record Unreachable(UpstreamReply.Unreachable.Cause cause, String detail) implements HttpAnswer {
        public Unreachable {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
        }

        /** The same, as the port's reply. */
        UpstreamReply.Unreachable reply() {
            return new UpstreamReply.Unreachable(cause, detail);
        }
    }

    /** Response headers, by lower-case name; repeated headers are joined with ", ". */
    record Headers(Map<String, String> values) {
        public static final Headers NONE = new Headers(Map.of());

        public Headers {
            // the upstream adapters hand over lower-case names already: then one copy, and none of an immutable map
            if (!values.keySet().stream().allMatch(Headers::isLowerCase)) {
                TreeMap<String, String> lower = new TreeMap<>();
                values.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + ", " + b));
                values = lower;
            }
            values = Map.copyOf(values);
        }

        private static boolean isLowerCase(String name) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c >= 'A' && c <= 'Z' || c > 0x7f) {
                    return false;
                }
            }
            return true;
        }

        public Optional<String> get(String name) {
            return Optional.ofNullable(values.get(name.toLowerCase(Locale.ROOT)));
        }

        /** The upstream's {@code Mcp-Session-Id}, if it sent a valid one. */
        public Optional<UpstreamSessionId> sessionId() {
            return get("mcp-session-id").flatMap(v -> {
                try {
                    return Optional.of(new UpstreamSessionId(v.trim()));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            });
        }
    }
}
