package io.mcprelay.application.port.in;

import io.mcprelay.application.port.out.DownstreamPort;

/**
 * Relays one POSTed JSON-RPC payload: {@code initialize} opens a session on an upstream, every other
 * message goes to its session's upstream. The answer (202, JSON, an event stream, or a rejection)
 * is written to {@code downstream}, exactly once. Blocks until the response is complete.
 */
public interface RelayMessageUseCase {

    void relay(RelayMessageCommand command, DownstreamPort downstream);
}
