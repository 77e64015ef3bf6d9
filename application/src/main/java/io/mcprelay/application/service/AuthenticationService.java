package io.mcprelay.application.service;

import io.mcprelay.application.port.in.AuthenticateRequestCommand;
import io.mcprelay.application.port.in.AuthenticateRequestUseCase;
import io.mcprelay.application.port.out.TokenVerifierPort;
import io.mcprelay.domain.auth.AuthRefusal;
import io.mcprelay.domain.auth.Authentication;
import io.mcprelay.domain.auth.BearerToken;
import io.mcprelay.domain.auth.ScopeRequirement;
import java.util.Objects;
import java.util.Optional;

/**
 * The bearer-token gate of the MCP endpoint: reads the token (bounded before anything decodes it),
 * has the verifier check it, then checks the scopes every request needs. A missing token, an invalid
 * one and a short scope are three different refusals, as RFC 6750 wants.
 */
public final class AuthenticationService implements AuthenticateRequestUseCase {

    private final TokenVerifierPort verifier;
    private final ScopeRequirement required;

    public AuthenticationService(TokenVerifierPort verifier, ScopeRequirement required) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.required = Objects.requireNonNull(required, "required");
    }

    @Override
    public Authentication authenticate(AuthenticateRequestCommand command) {
        return switch (BearerToken.read(command.authorization())) {
            case BearerToken.Presented.Absent absent ->
                    new Authentication.Refused(new AuthRefusal(AuthRefusal.Kind.MISSING_TOKEN, "a bearer token is required"));
            case BearerToken.Presented.Malformed malformed -> Authentication.invalid(malformed.why());
            case BearerToken.Presented.Token token -> withScopes(verifier.verify(token.value()));
        };
    }

    private Authentication withScopes(Authentication verified) {
        if (verified instanceof Authentication.Authenticated ok) {
            Optional<AuthRefusal> lacking = required.check(ok.principal());
            if (lacking.isPresent()) {
                return new Authentication.Refused(lacking.get());
            }
        }
        return verified;
    }
}
