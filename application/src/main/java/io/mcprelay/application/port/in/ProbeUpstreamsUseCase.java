package io.mcprelay.application.port.in;

/**
 * Checks every upstream's health once (driven by a scheduler every health-check interval) and
 * records the verdicts, which decide which upstreams take new sessions.
 */
public interface ProbeUpstreamsUseCase {

    void probeAll();
}
