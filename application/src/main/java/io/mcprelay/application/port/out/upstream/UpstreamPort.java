package io.mcprelay.application.port.out.upstream;

/**
 * Talks MCP with upstream servers: sends a client's JSON-RPC messages, opens the stream of
 * server-initiated messages, resumes a stream after the upstream's own cursor, and ends upstream
 * sessions. One implementation per transport ({@link io.mcprelay.domain.routing.TransportKind});
 * the composition root dispatches by the target's transport.
 *
 * <p>Every call is blocking, made on the request's (virtual) thread, and bounded by the adapter's
 * timeouts. Failures are replies ({@link UpstreamReply.Unreachable}), never exceptions. The caller
 * owns a returned {@link UpstreamReply.Events} or {@link UpstreamReply.Other} and must close it
 * (closing releases what the adapter holds for it); closing any reply is allowed and harmless.
 *
 * <p>A message is processed by the upstream at most once: an adapter sends it again only where it
 * knows the first try never reached the upstream (for HTTP: a pooled connection the upstream had
 * closed while idle, failing before one byte of an answer), never after a timeout, and never once an
 * answer had begun.
 */
public interface UpstreamPort {

    /**
     * Sends the call's JSON-RPC payload (its bytes, as they are) to the session's upstream. An
     * {@code initialize} goes in an {@link UpstreamSession#opening opening} session; its
     * {@link UpstreamReply.Answer} or {@link UpstreamReply.Events} names the upstream session it
     * established, if any.
     */
    UpstreamReply send(UpstreamCall call);

    /**
     * Opens the session's standalone stream of server-initiated messages (requests, notifications),
     * taking a place from the {@link Budget#STREAM} budget. {@link UpstreamReply.NoStream} when the
     * upstream offers none.
     */
    UpstreamReply listen(UpstreamSession session);

    /**
     * Re-attaches to a stream of the session after {@code cursor}, the upstream's own position (an
     * event's {@link UpstreamEvent#cursor()}), for a stream the upstream ended early or that broke, or
     * one another instance was relaying. The place comes from {@code budget}: the budget the stream
     * was opened under (a POST's answer stays a request's).
     */
    UpstreamReply resume(UpstreamSession session, String cursor, Budget budget);

    /**
     * Ends the upstream session, best effort: the reply only feeds passive health, and a refusal or a
     * failure changes nothing for the relay, whose own session is gone already.
     */
    UpstreamReply end(UpstreamSession session);

    /**
     * The upstream's two budgets of open exchanges: requests (and the streams that answer them, also
     * when re-attached after an instance died), and standalone streams, which live long and so must
     * not take the places short requests need.
     */
    enum Budget { REQUEST, STREAM }
}
