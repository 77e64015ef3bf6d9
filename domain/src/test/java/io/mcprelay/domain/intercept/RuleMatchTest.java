package io.mcprelay.domain.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleMatchTest {

    private static final MessageFacts CALL_ECHO = new MessageFacts(Direction.REQUEST, Optional.of("tools/call"), Optional.of("echo"),
            Optional.of("session-1"), Optional.of("primary"));
    private static final MessageFacts PING = new MessageFacts(Direction.REQUEST, Optional.of("ping"), Optional.empty(),
            Optional.of("session-1"), Optional.of("primary"));
    private static final MessageFacts UNKNOWN_RESPONSE = new MessageFacts(Direction.RESPONSE, Optional.empty(), Optional.empty(),
            Optional.of("session-1"), Optional.of("primary"));

    @Test
    void anyMatchesEveryMessageInEveryDirection() {
        assertThat(RuleMatch.any().matches(CALL_ECHO)).isTrue();
        assertThat(RuleMatch.any().matches(UNKNOWN_RESPONSE)).isTrue();
        for (Direction direction : Direction.values()) {
            assertThat(RuleMatch.any().covers(direction)).isTrue();
        }
    }

    @Test
    void everyConditionSetMustHold() {
        RuleMatch echoOnPrimary = new RuleMatch(Set.of(Direction.REQUEST), Optional.of(new Glob("tools/*")), Optional.of(new Glob("echo")),
                Optional.empty(), Optional.of(new Glob("prim*")));

        assertThat(echoOnPrimary.matches(CALL_ECHO)).isTrue();
        assertThat(echoOnPrimary.matches(withUpstream(CALL_ECHO, "secondary"))).isFalse();
        assertThat(echoOnPrimary.matches(new MessageFacts(Direction.EVENT, CALL_ECHO.method(), CALL_ECHO.tool(), CALL_ECHO.session(),
                CALL_ECHO.upstream()))).isFalse();
    }

    @Test
    void aPatternOnAFactTheMessageLacksDoesNotMatch() {
        RuleMatch anyTool = new RuleMatch(Set.of(), Optional.empty(), Optional.of(new Glob("*")), Optional.empty(), Optional.empty());
        RuleMatch anyMethod = new RuleMatch(Set.of(), Optional.of(new Glob("*")), Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(anyTool.matches(CALL_ECHO)).isTrue();
        assertThat(anyTool.matches(PING)).as("ping has no tool").isFalse();
        assertThat(anyMethod.matches(UNKNOWN_RESPONSE)).as("a response whose request is unknown has no method").isFalse();
    }

    @Test
    void sessionPatternsMatchTheRelaysSessionId() {
        RuleMatch oneSession = new RuleMatch(Set.of(), Optional.empty(), Optional.empty(), Optional.of(new Glob("session-1")), Optional.empty());
        MessageFacts beforeSession = new MessageFacts(Direction.REQUEST, Optional.of("initialize"), Optional.empty(), Optional.empty(),
                Optional.empty());

        assertThat(oneSession.matches(PING)).isTrue();
        assertThat(oneSession.matches(beforeSession)).isFalse();
    }

    @Test
    void directionsAreCoveredAsListed() {
        RuleMatch responsesAndEvents = new RuleMatch(Set.of(Direction.RESPONSE, Direction.EVENT), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        assertThat(responsesAndEvents.covers(Direction.REQUEST)).isFalse();
        assertThat(responsesAndEvents.covers(Direction.RESPONSE)).isTrue();
        assertThat(responsesAndEvents.covers(Direction.EVENT)).isTrue();
        assertThat(responsesAndEvents.matches(PING)).isFalse();
        assertThat(responsesAndEvents.matches(UNKNOWN_RESPONSE)).isTrue();
    }

    private static MessageFacts withUpstream(MessageFacts facts, String upstream) {
        return new MessageFacts(facts.direction(), facts.method(), facts.tool(), facts.session(), Optional.of(upstream));
    }
}
