package io.mcprelay.domain.intercept;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The messages a rule applies to. Every condition that is set must hold; an empty
 * {@code directions} means every direction. A pattern set for a fact the message lacks (a tool
 * name on a {@code ping}, a principal when clients do not authenticate) does not match.
 */
public record RuleMatch(Set<Direction> directions, Optional<Glob> method, Optional<Glob> tool, Optional<Glob> session,
                        Optional<Glob> upstream, PrincipalMatch principal) {

    public RuleMatch {
        directions = directions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(directions));
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(principal, "principal");
    }

    /** With no condition on the principal. */
    public RuleMatch(Set<Direction> directions, Optional<Glob> method, Optional<Glob> tool, Optional<Glob> session,
                     Optional<Glob> upstream) {
        this(directions, method, tool, session, upstream, PrincipalMatch.ANY);
    }

    /** Matches every message. */
    public static RuleMatch any() {
        return new RuleMatch(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), PrincipalMatch.ANY);
    }

    /** {@code true} if every condition holds for {@code facts}. */
    public boolean matches(MessageFacts facts) {
        return (directions.isEmpty() || directions.contains(facts.direction()))
                && holds(method, facts.method())
                && holds(tool, facts.tool())
                && holds(session, facts.session())
                && holds(upstream, facts.upstream())
                && principal.matches(facts.principal());
    }

    /** {@code true} if the rule can apply to messages travelling in {@code direction}. */
    public boolean covers(Direction direction) {
        return directions.isEmpty() || directions.contains(direction);
    }

    private static boolean holds(Optional<Glob> pattern, Optional<String> value) {
        return pattern.isEmpty() || value.filter(v -> pattern.get().matches(v)).isPresent();
    }
}
