package io.mcprelay.domain.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleActionTest {

    @Test
    void everyActionHasItsConfigurationName() {
        assertThat(new RuleAction.Block(RuleAction.Block.DEFAULT_CODE, RuleAction.Block.DEFAULT_MESSAGE).configName()).isEqualTo("block");
        assertThat(new RuleAction.Mock("{}").configName()).isEqualTo("mock");
        assertThat(new RuleAction.HideTools(List.of(new Glob("x"))).configName()).isEqualTo("hide-tools");
        assertThat(new RuleAction.Redact("/a", RuleAction.Redact.DEFAULT_REPLACEMENT).configName()).isEqualTo("redact");
        assertThat(new RuleAction.Delay(Duration.ofMillis(1)).configName()).isEqualTo("delay");
    }

    @Test
    void blockAndMockNeedText() {
        assertThatThrownBy(() -> new RuleAction.Block(1, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RuleAction.Mock("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RuleAction.Block.DEFAULT_CODE).isBetween(-32099, -32000);
    }

    @Test
    void hideToolsHidesByPatternAndNeedsOne() {
        RuleAction.HideTools hide = new RuleAction.HideTools(List.of(new Glob("get-env"), new Glob("trigger-*")));

        assertThat(hide.hides("get-env")).isTrue();
        assertThat(hide.hides("trigger-sampling-request")).isTrue();
        assertThat(hide.hides("echo")).isFalse();
        assertThat(RuleAction.HideTools.UNKNOWN_TOOL_CODE).isEqualTo(-32602);
        assertThatThrownBy(() -> new RuleAction.HideTools(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/params/arguments/password", "/result/content/0/text", "/a~1b/c~0d", "/", "/a//b"})
    void redactTakesJsonPointersToAMember(String pointer) {
        assertThat(new RuleAction.Redact(pointer, "null").pointer()).isEqualTo(pointer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "params/x", "/a~2", "/a~", "#/a"})
    void redactRefusesWhatIsNoPointerToAMember(String pointer) {
        assertThatThrownBy(() -> new RuleAction.Redact(pointer, "null")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delayIsPositiveAndBounded() {
        assertThat(new RuleAction.Delay(RuleAction.Delay.MAX).duration()).isEqualTo(Duration.ofSeconds(60));
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), RuleAction.Delay.MAX.plusMillis(1))) {
            assertThatThrownBy(() -> new RuleAction.Delay(bad)).as(bad.toString()).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
