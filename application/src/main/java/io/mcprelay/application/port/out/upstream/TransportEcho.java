package io.mcprelay.application.port.out.upstream;

/**
 * What an upstream's transport said about a reply that the client's side may reproduce: for HTTP,
 * the status of a relayed answer or error and the response headers the header policy lets through.
 * Opaque on purpose: the upstream adapter makes it, the use cases hand it unread to the
 * {@link io.mcprelay.application.port.out.DownstreamPort}, and the inbound adapter renders what it
 * understands of it (an HTTP echo by the HTTP inbound adapter) and defaults the rest. A transport
 * with nothing to echo (stdio) gives {@link #NONE}.
 */
public interface TransportEcho {

    /** Nothing to reproduce: the client's side answers with its defaults. */
    TransportEcho NONE = new None();

    /** The echo of a transport with nothing to echo. */
    record None() implements TransportEcho {
    }
}
