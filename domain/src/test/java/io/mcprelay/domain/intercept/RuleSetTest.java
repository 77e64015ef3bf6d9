package io.mcprelay.domain.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleSetTest {

    private static final MessageFacts CALL_ECHO = new MessageFacts(Direction.REQUEST, Optional.of("tools/call"), Optional.of("echo"),
            Optional.of("s"), Optional.of("u"));

    @Test
    void matchingKeepsTheConfiguredOrder() {
        InterceptRule slow = new InterceptRule("slow", RuleMatch.any(), new RuleAction.Delay(Duration.ofMillis(5)));
        InterceptRule other = new InterceptRule("other-tool", onTool("get-env"), new RuleAction.Block(-32003, "no"));
        InterceptRule deny = new InterceptRule("deny-echo", onTool("echo"), new RuleAction.Block(-32003, "no"));
        RuleSet rules = new RuleSet(List.of(slow, other, deny));

        assertThat(rules.matching(CALL_ECHO)).containsExactly(slow, deny);
        assertThat(RuleSet.EMPTY.matching(CALL_ECHO)).isEmpty();
    }

    @Test
    void namesAreUniqueAndTheCountBounded() {
        InterceptRule a = new InterceptRule("a", RuleMatch.any(), new RuleAction.Block(1, "x"));
        assertThatThrownBy(() -> new RuleSet(List.of(a, a))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");

        List<InterceptRule> many = new ArrayList<>();
        for (int i = 0; i <= RuleSet.MAX_RULES; i++) {
            many.add(new InterceptRule("r" + i, RuleMatch.any(), new RuleAction.Block(1, "x")));
        }
        assertThatThrownBy(() -> new RuleSet(many)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RuleSet(many.subList(0, RuleSet.MAX_RULES)).rules()).hasSize(RuleSet.MAX_RULES);
    }

    @Test
    void ruleNamesAreShortAndPlain() {
        assertThat(new InterceptRule("deny_env.v2-x", RuleMatch.any(), new RuleAction.Block(1, "x")).name()).isEqualTo("deny_env.v2-x");
        for (String bad : List.of("", "-lead", "has space", "a/b", "x".repeat(65), "<script>")) {
            assertThatThrownBy(() -> new InterceptRule(bad, RuleMatch.any(), new RuleAction.Block(1, "x")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRuleAppliesWhereItsMatchDoes() {
        InterceptRule deny = new InterceptRule("deny-echo", onTool("echo"), new RuleAction.Block(-32003, "no"));
        assertThat(deny.appliesTo(CALL_ECHO)).isTrue();
        assertThat(deny.appliesTo(new MessageFacts(Direction.REQUEST, Optional.of("tools/call"), Optional.of("get-sum"),
                Optional.empty(), Optional.empty()))).isFalse();
    }

    private static RuleMatch onTool(String tool) {
        return new RuleMatch(Set.of(), Optional.empty(), Optional.of(new Glob(tool)), Optional.empty(), Optional.empty());
    }
}
