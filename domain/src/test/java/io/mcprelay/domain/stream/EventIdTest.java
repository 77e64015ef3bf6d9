package io.mcprelay.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdTest {

    @Test
    void writesStreamAndSequence() {
        assertThat(new EventId(new StreamId("q3T0n9m2Vv0JQ1x0bqZ0_w"), 17).text()).isEqualTo("q3T0n9m2Vv0JQ1x0bqZ0_w:17");
    }

    @Test
    void parsesWhatItWrites() {
        EventId id = new EventId(new StreamId("abc-DEF_123"), 0);

        assertThat(EventId.parse(id.text())).contains(id);
        assertThat(EventId.parse("s:9223372036854775807")).map(EventId::sequence).contains(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "s:", ":1", "s:-1", "s:01", "s:1.0", "s p:1", "s:1 ", "s/x:1", "s:99999999999999999999",
            "a1b2c3d4-uuid-from-upstream", "s:１"})
    void refusesWhatIsNotOurs(String text) {
        assertThat(EventId.parse(text)).isEmpty();
    }

    @Test
    void refusesNullAndOverlongText() {
        assertThat(EventId.parse(null)).isEmpty();
        assertThat(EventId.parse("a".repeat(200) + ":1")).isEmpty();
    }

    @Test
    void streamIdsAreUrlSafeAndBounded() {
        assertThatThrownBy(() -> new StreamId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamId("has:colon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamId("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventId(new StreamId("s"), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
