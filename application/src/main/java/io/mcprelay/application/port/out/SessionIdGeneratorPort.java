package io.mcprelay.application.port.out;

import io.mcprelay.domain.session.ProxySessionId;

/** Mints proxy session ids: unguessable (at least 128 bits from a cryptographic random source) and URL-safe. */
@FunctionalInterface
public interface SessionIdGeneratorPort {

    ProxySessionId next();
}
