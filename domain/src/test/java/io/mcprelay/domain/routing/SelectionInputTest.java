package io.mcprelay.domain.routing;

import static io.mcprelay.domain.routing.RoutingTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelectionInputTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.5, 0.9999999999999999})
    void acceptsRandomNumbersFromZeroUpToOne(double random) {
        assertThat(new SelectionInput(T0, 0, random).random()).isEqualTo(random);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void refusesRandomNumbersOutsideZeroToOne(double random) {
        assertThatThrownBy(() -> new SelectionInput(T0, 0, random)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsAnyTurnButNeedsAnInstant() {
        assertThat(new SelectionInput(T0, Long.MIN_VALUE, 0.0).turn()).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> new SelectionInput(null, 0, 0.0)).isInstanceOf(NullPointerException.class);
    }
}
