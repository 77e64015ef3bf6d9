package io.mcprelay.application.port.out;

import io.mcprelay.domain.auth.Authentication;

/**
 * Checks an access token: that the issuer signed it (or, for an opaque token, that the issuer
 * vouches for it), that it is for this resource and that it is current. Implementations bound every
 * wait on the issuer and keep its keys cached; they never log or keep the token itself.
 */
public interface TokenVerifierPort {

    /**
     * {@link Authentication.Authenticated} with the token's principal, or
     * {@link Authentication.Refused} of kind {@code INVALID_TOKEN}; never throws for a bad token,
     * nor when the issuer cannot be reached (that is a refusal too).
     *
     * @param token the token, already bounded in size ({@link io.mcprelay.domain.auth.BearerToken})
     */
    Authentication verify(String token);
}
