package io.mcprelay.domain.auth;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scopes every request to the resource needs ({@code auth.requiredScopes}); none by default.
 *
 * @param required the scopes a token must grant, all of them
 */
public record ScopeRequirement(Set<String> required) {

    public static final ScopeRequirement NONE = new ScopeRequirement(Set.of());

    public ScopeRequirement {
        required = Set.copyOf(required);
    }

    /** The refusal of {@code principal} when it lacks a required scope, naming the missing ones. */
    public Optional<AuthRefusal> check(Principal principal) {
        if (principal.scopes().containsAll(required)) {
            return Optional.empty();
        }
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(principal.scopes());
        return Optional.of(new AuthRefusal(AuthRefusal.Kind.INSUFFICIENT_SCOPE, "the token lacks the scope " + String.join(" ", missing)));
    }

    /** The required scopes as one space-separated string, sorted: the {@code scope} attribute of a challenge. */
    public String asText() {
        return String.join(" ", new TreeSet<>(required));
    }
}
