package io.mcprelay.application.port.out;

import io.mcprelay.domain.stream.SseEvent;
import java.util.Objects;

/**
 * Sends one HTTP request to an upstream MCP server, to be processed by it exactly once, and says what
 * came back. What kind of answer it is (JSON, an event stream, accepted, an error) is decided by the
 * upstream's status and {@code Content-Type}, never guessed in advance. An adapter writes the request
 * a second time only on a fresh connection after a pooled one that the upstream had closed while idle
 * failed before one byte of an answer (the request was not processed there); never after a timeout,
 * and never once an answer had begun.
 *
 * <p>Blocking; called on the request's (virtual) thread. Upstream failures are answers
 * ({@link UpstreamResponse.Unreachable}), not exceptions. The caller owns a returned
 * {@link UpstreamResponse.EventStream} or {@link UpstreamResponse.Passthrough} and must close it;
 * closing releases the upstream connection.
 */
public interface UpstreamPort {

    UpstreamResponse exchange(UpstreamRequest request);

    /**
     * An upstream SSE body, read one event at a time as it arrives. Comments are skipped; events
     * are never accumulated. Not thread-safe: one reader. {@link #close()} may be called from any
     * thread, and makes a blocked {@link #next()} return {@link Read.End} or {@link Read.Broken}.
     */
    interface EventSource extends AutoCloseable {

        /** Blocks until the next event, the end of the stream, or a failure. */
        Read next();

        @Override
        void close();
    }

    /** One step of reading an event stream. */
    sealed interface Read {

        record Event(SseEvent event) implements Read {
            public Event {
                Objects.requireNonNull(event, "event");
            }
        }

        /** The upstream ended the stream normally. */
        record End() implements Read {
        }

        /** The stream failed: reset, read timeout, an oversized or undecodable event. */
        record Broken(String reason) implements Read {
            public Broken {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
