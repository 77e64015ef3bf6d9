package io.mcprelay.application.port.out;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.SseEvent;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The response to the client, given by the driving adapter for one request (a presenter).
 *
 * <p>Exactly one of the methods below is called, once, by the use case, on the request's thread.
 * Before that call the use case may still refuse; after it, the status line is decided, and an
 * event stream can only be emitted into and ended (the rule Envoy states: before headers you may
 * answer with an error, after them you can only end the stream).
 */
public interface DownstreamPort {

    /** Answers with the rejection's status and a JSON-RPC error body. */
    void reject(Rejection rejection);

    /** Answers 202 Accepted with no body. */
    void accepted(Head head);

    /** Answers with an empty body and {@code status} (e.g. 200 after DELETE). */
    void empty(int status, Head head);

    /** Answers with a JSON body. */
    void json(int status, Head head, byte[] body);

    /** Answers with a body of another type, copied from {@code body} until its end. */
    void passthrough(int status, Head head, String contentType, InputStream body);

    /** Answers 200 with {@code text/event-stream}; events follow through the returned stream. */
    Stream openEventStream(Head head);

    /**
     * An open SSE response. Every call blocks until the bytes are written and flushed: a slow
     * client slows the producer (backpressure). Once the client is gone, every call returns
     * {@code false} and does nothing. {@link #close()} ends the response; calls after it return
     * {@code false}.
     */
    interface Stream extends AutoCloseable {

        /** Writes one event and flushes it; {@code false} if the client is gone. */
        boolean emit(SseEvent event);

        /** Writes an SSE comment (a heartbeat) and flushes it; {@code false} if the client is gone. */
        boolean comment(String text);

        @Override
        void close();
    }

    /**
     * Response headers decided by the use case: the proxy session id to hand the client, and other
     * headers relayed from the upstream.
     */
    record Head(Optional<ProxySessionId> sessionId, Map<String, String> headers) {
        public static final Head NONE = new Head(Optional.empty(), Map.of());

        public Head {
            Objects.requireNonNull(sessionId, "sessionId");
            headers = Map.copyOf(headers);
        }
    }
}
