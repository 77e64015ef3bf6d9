package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.in.AuthenticateRequestCommand;
import io.mcprelay.domain.auth.AuthRefusal;
import io.mcprelay.domain.auth.Authentication;
import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.auth.ScopeRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticationServiceTest {

    private final List<String> verified = new ArrayList<>();
    private final AuthenticationService service = new AuthenticationService(token -> {
        verified.add(token);
        return token.equals("good") ? new Authentication.Authenticated(Principal.of("alice", Set.of("mcp:read")))
                : Authentication.invalid("bad signature");
    }, new ScopeRequirement(Set.of("mcp:read")));

    @Test
    void aValidTokenWithTheRequiredScopesLetsThePrincipalIn() {
        assertThat(service.authenticate(new AuthenticateRequestCommand(Optional.of("Bearer good"))))
                .isEqualTo(new Authentication.Authenticated(Principal.of("alice", Set.of("mcp:read"))));
    }

    @Test
    void noTokenIsMissingAndNeverReachesTheVerifier() {
        assertThat(kind(Optional.empty())).isEqualTo(AuthRefusal.Kind.MISSING_TOKEN);
        assertThat(kind(Optional.of("Basic dTpw"))).isEqualTo(AuthRefusal.Kind.MISSING_TOKEN);
        assertThat(verified).isEmpty();
    }

    @Test
    void aMalformedOrOversizedTokenIsInvalidAndNeverReachesTheVerifier() {
        assertThat(kind(Optional.of("Bearer a b"))).isEqualTo(AuthRefusal.Kind.INVALID_TOKEN);
        assertThat(kind(Optional.of("Bearer " + "a".repeat(100_000)))).isEqualTo(AuthRefusal.Kind.INVALID_TOKEN);
        assertThat(verified).isEmpty();
    }

    @Test
    void theVerifiersRefusalStands() {
        assertThat(kind(Optional.of("Bearer forged"))).isEqualTo(AuthRefusal.Kind.INVALID_TOKEN);
        assertThat(verified).containsExactly("forged");
    }

    @Test
    void aValidTokenShortOfARequiredScopeIsInsufficient() {
        AuthenticationService strict = new AuthenticationService(token -> new Authentication.Authenticated(Principal.of("bob", Set.of())),
                new ScopeRequirement(Set.of("mcp:read")));
        Authentication result = strict.authenticate(new AuthenticateRequestCommand(Optional.of("Bearer any")));
        assertThat(result).isInstanceOfSatisfying(Authentication.Refused.class,
                r -> assertThat(r.refusal().kind()).isEqualTo(AuthRefusal.Kind.INSUFFICIENT_SCOPE));
    }

    private AuthRefusal.Kind kind(Optional<String> header) {
        Authentication result = service.authenticate(new AuthenticateRequestCommand(header));
        assertThat(result).isInstanceOf(Authentication.Refused.class);
        return ((Authentication.Refused) result).refusal().kind();
    }
}
