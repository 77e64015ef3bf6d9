/**
 * The upstream port: how the use cases talk to an upstream MCP server, whatever carries the messages.
 *
 * <p>Design note. The use cases speak MCP, not a transport: they hand over JSON-RPC messages in an
 * {@link io.mcprelay.application.port.out.upstream.UpstreamSession upstream session} and get back
 * {@link io.mcprelay.application.port.out.upstream.UpstreamReply replies} that mean something in
 * MCP (an answer, a stream of events with the upstream's own cursor, the session is gone, no
 * standalone stream is offered, a JSON-RPC refusal, unreachable for a reason). HTTP statuses,
 * headers, methods and {@code Last-Event-ID} live in the HTTP adapter only; re-attaching to a stream
 * is the port's job ({@link io.mcprelay.application.port.out.upstream.UpstreamPort#resume resume
 * after this cursor}). What an HTTP upstream said that the HTTP client side reproduces (a relayed
 * error's status, the response headers the header policy lets through) travels as an opaque
 * {@link io.mcprelay.application.port.out.upstream.TransportEcho}: made by the upstream adapter,
 * handed as it is to the downstream port, rendered by the inbound adapter, never read in between.
 * A new transport is one more implementation of the port, registered by its
 * {@link io.mcprelay.domain.routing.TransportKind} (see {@code docs/adding-an-adapter.md}).
 */
package io.mcprelay.application.port.out.upstream;
