package io.mcprelay.domain.routing;

import static io.mcprelay.domain.routing.RoutingTestData.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamSpecTest {

    @Test
    void defaultsToWeightOneAndEnabled() {
        UpstreamSpec spec = UpstreamSpec.of(A);

        assertThat(spec.weight()).isEqualTo(1);
        assertThat(spec.enabled()).isTrue();
        assertThat(spec.name()).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 999, 1000})
    void acceptsWeightsFromOneToAThousand(int weight) {
        assertThat(new UpstreamSpec(A, weight, true).weight()).isEqualTo(weight);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1001, Integer.MAX_VALUE})
    void refusesWeightsOutsideOneToAThousand(int weight) {
        assertThatThrownBy(() -> new UpstreamSpec(A, weight, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight");
    }

    @Test
    void refusesMissingTarget() {
        assertThatThrownBy(() -> new UpstreamSpec(null, 1, true)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void withersKeepTheOtherProperties() {
        UpstreamSpec spec = UpstreamSpec.of(A).withWeight(7).withEnabled(false);

        assertThat(spec).isEqualTo(new UpstreamSpec(A, 7, false));
        assertThatThrownBy(() -> spec.withWeight(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
