package io.mcprelay.application.service;

import io.mcprelay.application.port.out.UpstreamPort;
import java.util.Optional;

/**
 * Re-attaches to an upstream stream that the upstream closed early (2025-11-25 polling) or that
 * broke: a GET with {@code Last-Event-ID} set to the upstream's own last event id. Empty when the
 * upstream does not answer with an event stream.
 */
@FunctionalInterface
interface UpstreamReconnect {

    UpstreamReconnect NONE = cursor -> Optional.empty();

    Optional<UpstreamPort.EventSource> resume(String upstreamCursor);
}
