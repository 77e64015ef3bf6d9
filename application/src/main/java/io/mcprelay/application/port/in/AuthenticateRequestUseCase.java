package io.mcprelay.application.port.in;

import io.mcprelay.domain.auth.Authentication;

/**
 * Lets a request to the MCP endpoint in, or refuses it, by its bearer token (when clients must
 * authenticate). The HTTP adapter asks before any other use case runs and answers a refusal itself
 * (401 or 403 with a {@code WWW-Authenticate} challenge).
 */
public interface AuthenticateRequestUseCase {

    Authentication authenticate(AuthenticateRequestCommand command);
}
