package io.mcprelay.examples.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.spi.InterceptedMessage;
import io.mcprelay.domain.intercept.Decision;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.MessageFacts;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DenyTriggerToolsInterceptorTest {

    private final DenyTriggerToolsInterceptor interceptor = new DenyTriggerToolsInterceptor();

    @Test
    void refusesCallsToTriggerTools() {
        assertThat(interceptor.intercept(call("trigger-long-running-operation")))
                .isEqualTo(new Decision.Block(DenyTriggerToolsInterceptor.REFUSED,
                        "Tool trigger-long-running-operation is refused by the deny-trigger-tools interceptor"));
    }

    @Test
    void letsOtherToolsAndMethodsGoOn() {
        assertThat(interceptor.intercept(call("echo"))).isEqualTo(Decision.CONTINUE);
        assertThat(interceptor.intercept(new InterceptedMessage(new MessageFacts(Direction.REQUEST, Optional.of("tools/list"),
                Optional.empty(), Optional.of("s"), Optional.of("u")), "{}"))).isEqualTo(Decision.CONTINUE);
    }

    @Test
    void looksAtRequestsOnly() {
        assertThat(interceptor.directions()).containsExactly(Direction.REQUEST);
        assertThat(interceptor.name()).isEqualTo("deny-trigger-tools");
    }

    private static InterceptedMessage call(String tool) {
        return new InterceptedMessage(new MessageFacts(Direction.REQUEST, Optional.of("tools/call"), Optional.of(tool),
                Optional.of("s"), Optional.of("u")), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}");
    }
}
