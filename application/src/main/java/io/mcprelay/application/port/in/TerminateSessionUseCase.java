package io.mcprelay.application.port.in;

import io.mcprelay.application.port.out.DownstreamPort;

/**
 * Ends a session at the client's request (HTTP DELETE): tells the upstream (best effort), removes
 * the session, answers 200; every later request with that id gets 404.
 */
public interface TerminateSessionUseCase {

    void terminate(TerminateSessionCommand command, DownstreamPort downstream);
}
