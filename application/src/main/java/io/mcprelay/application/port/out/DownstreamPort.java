package io.mcprelay.application.port.out;

import io.mcprelay.application.port.out.upstream.TransportEcho;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.SseEvent;
import java.io.InputStream;
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

    /** Answers that the upstream took the client's messages with no answer to come (HTTP: 202). */
    void accepted(Head head);

    /** Answers that the session is ended (HTTP: 200, no body). */
    void ended(Head head);

    /** Answers with the upstream's (or the relay's) JSON-RPC answer: one message or a batch, as JSON text. */
    void answer(Head head, byte[] message);

    /**
     * Answers with a JSON-RPC error by which the upstream refused the request, as JSON text (HTTP:
     * with the status the upstream gave, echoed in {@code head}).
     */
    void refused(Head head, byte[] error);

    /** Answers with content of another media type, copied from {@code body} until its end. */
    void passthrough(Head head, String mediaType, InputStream body);

    /** Answers with an event stream (HTTP: 200, {@code text/event-stream}); events follow through the returned stream. */
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
     * What goes with an answer: the proxy session id to hand the client, and what the upstream's
     * transport said that the client's side may reproduce ({@link TransportEcho}, opaque to the use
     * cases; the inbound adapter renders what it understands of it, e.g. an HTTP upstream's status
     * and the response headers its header policy let through).
     */
    record Head(Optional<ProxySessionId> sessionId, TransportEcho echo) {
        public static final Head NONE = new Head(Optional.empty(), TransportEcho.NONE);

        public Head {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(echo, "echo");
        }

        /** A head with the session id only, nothing echoed. */
        public static Head of(Optional<ProxySessionId> sessionId) {
            return new Head(sessionId, TransportEcho.NONE);
        }
    }
}
