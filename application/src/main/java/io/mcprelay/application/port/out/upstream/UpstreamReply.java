package io.mcprelay.application.port.out.upstream;

import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * What came of one call to an upstream, in MCP's terms. The adapter decides which it is (for HTTP:
 * from the status and {@code Content-Type}); the use cases decide what the client gets. Replies that
 * hold something open ({@link Events}, {@link Other}) must be closed; {@link #close()} on any other
 * does nothing.
 */
public sealed interface UpstreamReply extends AutoCloseable {

    /** Releases what the reply holds open; does nothing for replies that hold nothing. Never throws. */
    @Override
    default void close() {
    }

    /**
     * A single answer: one JSON-RPC message, or a batch of them, as JSON text.
     *
     * @param message the JSON text, as the upstream sent it (bounded by the adapter)
     * @param session the upstream session this answer established (an initialize's), if any
     * @param echo    what the transport said that the client's side may reproduce
     */
    record Answer(byte[] message, Optional<UpstreamSessionId> session, TransportEcho echo) implements UpstreamReply {
        public Answer {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(echo, "echo");
        }
    }

    /**
     * A stream of events, read one at a time: the answers to the call's requests and the messages
     * that go with them, or a standalone or resumed stream's messages.
     *
     * @param events  the events; close them (or this reply) when done
     * @param session the upstream session this stream's initialize answer established, if any
     * @param echo    what the transport said that the client's side may reproduce
     */
    record Events(UpstreamEvents events, Optional<UpstreamSessionId> session, TransportEcho echo) implements UpstreamReply {
        public Events {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(echo, "echo");
        }

        @Override
        public void close() {
            events.close();
        }
    }

    /** Taken, with no answer to come: the call held notifications or responses only. */
    record Accepted(TransportEcho echo) implements UpstreamReply {
        public Accepted {
            Objects.requireNonNull(echo, "echo");
        }
    }

    /**
     * Something that is neither an answer nor a stream (for HTTP: another {@code Content-Type}),
     * which only a call without requests may pass on as it is.
     *
     * @param mediaType   what the body is, as the upstream named it (may be empty)
     * @param body        the body, read until its end; close it (or this reply)
     * @param description what it is, for a client that waited for an answer, e.g.
     *                    {@code "Content-Type text/html, neither application/json nor text/event-stream"}
     * @param echo        what the transport said that the client's side may reproduce
     */
    record Other(String mediaType, InputStream body, String description, TransportEcho echo) implements UpstreamReply {
        public Other {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(echo, "echo");
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // what it held is released either way
            }
        }
    }

    /**
     * The upstream no longer has the (established) session: ended, expired, or its process died.
     * The relay ends its own session; the client initializes a new one.
     */
    record SessionGone(String detail) implements UpstreamReply {
        public SessionGone {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The upstream offers no standalone stream of server-initiated messages. */
    record NoStream(String detail) implements UpstreamReply {
        public NoStream {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The upstream refused the call. With {@code error}, it said why in a JSON-RPC error message,
     * passed on to the client as it is; without, {@code detail} says what it answered. A refusal is
     * the upstream's fault (for HTTP: 5xx) or a judgement on the request (4xx), which tells passive
     * health whether it counts against the upstream.
     *
     * @param error         the upstream's JSON-RPC error message (JSON text), if it gave one
     * @param detail        what the upstream answered, for people, e.g. {@code "HTTP 403: denied"}
     * @param upstreamFault whether the upstream failed (rather than judged the request)
     * @param echo          what the transport said that the client's side may reproduce
     */
    record Refused(Optional<byte[]> error, String detail, boolean upstreamFault, TransportEcho echo) implements UpstreamReply {
        public Refused {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(echo, "echo");
        }
    }

    /**
     * No usable answer: the upstream could not be reached, timed out, or broke its protocol.
     *
     * @param detail what happened, for the log (it may name hosts, addresses, paths)
     * @param reason what the client may be told about it, in the transport's own words and free of
     *               secrets, e.g. {@code "the upstream process exited with status 3 at start"}; when
     *               empty, the client gets the relay's general words for the cause (those of a
     *               network transport: "cannot be reached", "closed the connection", ...)
     */
    record Unreachable(Cause cause, String detail, Optional<String> reason) implements UpstreamReply {
        public enum Cause {
            /**
             * Not sent, so safe to send elsewhere: no connection could be made (refused, unknown
             * host, connect timed out, TLS handshake, a program that cannot be started), or the
             * upstream's circuit is open. (A pooled connection the upstream had closed while idle is
             * not this: the HTTP adapters retry such a call once on a fresh connection.)
             */
            CONNECT,
            /**
             * Sent, then the connection (or process) was lost before a usable answer: the upstream
             * may have processed the call, so it is not sent again, and it was reached (a session on
             * it is kept).
             */
            DROPPED,
            /** No answer within the timeout. */
            TIMEOUT,
            /** An answer that breaks the transport's protocol, or one over a size limit. */
            PROTOCOL,
            /** Not sent: the upstream's places (connections, processes) and its bounded wait queue are full. */
            SATURATED
        }

        public Unreachable {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(reason, "reason");
        }

        /** Unreachable with nothing for the client beyond the relay's general words for the cause. */
        public Unreachable(Cause cause, String detail) {
            this(cause, detail, Optional.empty());
        }
    }
}
