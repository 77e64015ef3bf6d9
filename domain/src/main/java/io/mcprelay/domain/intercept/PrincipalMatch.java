package io.mcprelay.domain.intercept;

import io.mcprelay.domain.auth.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The conditions a rule sets on who sent the message (when clients authenticate): its subject, the
 * scopes its token grants or lacks, its claims. Every condition that is set must hold; with any set,
 * a message without a principal (authentication off) does not match.
 *
 * <p>{@code lacksScope} is how "only for a scope" is written: a rule matching {@code tool: "admin_*"}
 * and {@code lacksScope: [mcp:admin]} blocks those tools for everyone without that scope, and a
 * {@code hide-tools} rule with the same condition hides them from their listing.
 *
 * @param subject    a pattern the principal's subject must match
 * @param hasScopes  scopes the token must all grant
 * @param lacksScope scopes of which the token must lack at least one
 * @param claims     claim name to the pattern its value must match (the claim must be present)
 */
public record PrincipalMatch(Optional<Glob> subject, Set<String> hasScopes, Set<String> lacksScope, Map<String, Glob> claims) {

    /** No condition on the principal. */
    public static final PrincipalMatch ANY = new PrincipalMatch(Optional.empty(), Set.of(), Set.of(), Map.of());

    public PrincipalMatch {
        Objects.requireNonNull(subject, "subject");
        hasScopes = Set.copyOf(hasScopes);
        lacksScope = Set.copyOf(lacksScope);
        claims = Map.copyOf(claims);
    }

    /** {@code true} if no condition is set. */
    public boolean isAny() {
        return subject.isEmpty() && hasScopes.isEmpty() && lacksScope.isEmpty() && claims.isEmpty();
    }

    /** {@code true} if every condition holds for {@code principal}. */
    public boolean matches(Optional<Principal> principal) {
        if (isAny()) {
            return true;
        }
        if (principal.isEmpty()) {
            return false;
        }
        Principal p = principal.get();
        return subject.map(glob -> glob.matches(p.subject())).orElse(true)
                && p.scopes().containsAll(hasScopes)
                && (lacksScope.isEmpty() || !p.scopes().containsAll(lacksScope))
                && claims.entrySet().stream().allMatch(c -> {
                    String value = p.claims().get(c.getKey());
                    return value != null && c.getValue().matches(value);
                });
    }
}
