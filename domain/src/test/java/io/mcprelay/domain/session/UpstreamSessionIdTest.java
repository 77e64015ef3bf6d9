package io.mcprelay.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamSessionIdTest {

    @Test
    void acceptsVisibleAsciiUpTo1024Characters() {
        assertThat(new UpstreamSessionId("x".repeat(1024)).value()).hasSize(1024);
        assertThat(new UpstreamSessionId("u-1")).hasToString("u-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a\r\nSet-Cookie: x", "caf\u00e9"})
    void refusesValuesThatCouldInjectIntoAHeader(String value) {
        assertThatThrownBy(() -> new UpstreamSessionId(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOverlongValue() {
        assertThatThrownBy(() -> new UpstreamSessionId("x".repeat(1025))).isInstanceOf(IllegalArgumentException.class);
    }
}
