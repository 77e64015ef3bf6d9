package io.mcprelay.application.port.in;

import io.mcprelay.domain.session.ProxySessionId;

/**
 * Ends a session on an operator's order: the same as the client's DELETE (the upstream is told, best
 * effort; the session and its replay logs go), after which the client's requests get 404.
 */
public interface EvictSessionUseCase {

    /** {@code true} if a live session was ended. */
    boolean evict(ProxySessionId id);
}
