package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import java.util.Optional;

/**
 * Re-attaches to an upstream stream that the upstream closed early (2025-11-25 polling) or that
 * broke, after the upstream's own cursor ({@link io.mcprelay.application.port.out.upstream.UpstreamPort#resume}).
 * Empty when the upstream does not answer with a stream.
 */
@FunctionalInterface
interface UpstreamReconnect {

    UpstreamReconnect NONE = cursor -> Optional.empty();

    Optional<UpstreamEvents> resume(String upstreamCursor);
}
