package io.mcprelay.domain.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionTest {

    @Test
    void directionsHaveTheirConfigurationNames() {
        assertThat(Direction.fromConfig("request")).contains(Direction.REQUEST);
        assertThat(Direction.fromConfig("response")).contains(Direction.RESPONSE);
        assertThat(Direction.fromConfig("event")).contains(Direction.EVENT);
        assertThat(Direction.fromConfig("REQUEST")).isEmpty();
        assertThat(Direction.fromConfig("both")).isEmpty();
        assertThat(Direction.EVENT.configName()).isEqualTo("event");
    }

    @Test
    void decisionsRefuseMissingOrNegativeValues() {
        assertThat(Decision.CONTINUE).isInstanceOf(Decision.Continue.class);
        assertThatThrownBy(() -> new Decision.Modify(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Decision.Block(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Decision.Mock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Decision.Delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Decision.Delay(Duration.ZERO).duration()).isZero();
    }

    @Test
    void factsNeedEveryMember() {
        assertThatThrownBy(() -> new MessageFacts(null, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(NullPointerException.class);
    }
}
