package io.mcprelay.domain.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.auth.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalMatchTest {

    private static final Principal ALICE = new Principal("alice", Set.of("mcp:read", "mcp:admin"), Map.of("azp", "ci-runner"));
    private static final Principal BOB = new Principal("bob", Set.of("mcp:read"), Map.of());

    @Test
    void noConditionMatchesWithOrWithoutAPrincipal() {
        assertThat(PrincipalMatch.ANY.matches(Optional.empty())).isTrue();
        assertThat(PrincipalMatch.ANY.matches(Optional.of(ALICE))).isTrue();
    }

    @Test
    void anyConditionNeedsAPrincipal() {
        PrincipalMatch lacksAdmin = new PrincipalMatch(Optional.empty(), Set.of(), Set.of("mcp:admin"), Map.of());
        assertThat(lacksAdmin.matches(Optional.empty())).isFalse();
    }

    @Test
    void lacksScopeMatchesWhoeverLacksOneOfThem() {
        PrincipalMatch lacksAdmin = new PrincipalMatch(Optional.empty(), Set.of(), Set.of("mcp:admin"), Map.of());
        assertThat(lacksAdmin.matches(Optional.of(BOB))).isTrue();
        assertThat(lacksAdmin.matches(Optional.of(ALICE))).isFalse();
    }

    @Test
    void subjectScopesAndClaimsMustAllHold() {
        PrincipalMatch match = new PrincipalMatch(Optional.of(new Glob("a*")), Set.of("mcp:read"), Set.of(), Map.of("azp", new Glob("ci-*")));
        assertThat(match.matches(Optional.of(ALICE))).isTrue();
        assertThat(match.matches(Optional.of(BOB))).isFalse();
        assertThat(match.matches(Optional.of(new Principal("anna", Set.of("mcp:read"), Map.of())))).as("claim missing").isFalse();
        assertThat(match.matches(Optional.of(new Principal("anna", Set.of(), Map.of("azp", "ci-x"))))).as("scope missing").isFalse();
    }

    @Test
    void aRuleMatchesOnTheFactsPrincipal() {
        RuleMatch adminTools = new RuleMatch(Set.of(), Optional.empty(), Optional.of(new Glob("admin_*")), Optional.empty(), Optional.empty(),
                new PrincipalMatch(Optional.empty(), Set.of(), Set.of("mcp:admin"), Map.of()));
        MessageFacts bobCalls = new MessageFacts(Direction.REQUEST, Optional.of("tools/call"), Optional.of("admin_reset"), Optional.of("s"),
                Optional.of("u"), Optional.of(BOB));
        MessageFacts aliceCalls = new MessageFacts(Direction.REQUEST, Optional.of("tools/call"), Optional.of("admin_reset"), Optional.of("s"),
                Optional.of("u"), Optional.of(ALICE));
        assertThat(adminTools.matches(bobCalls)).isTrue();
        assertThat(adminTools.matches(aliceCalls)).isFalse();
    }
}
