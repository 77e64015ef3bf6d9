package io.mcprelay.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseEventTest {

    @Test
    void messageEventCarriesOnlyData() {
        SseEvent event = SseEvent.message("{\"jsonrpc\":\"2.0\"}");

        assertThat(event.id()).isEmpty();
        assertThat(event.event()).isEmpty();
        assertThat(event.retryMillis()).isEmpty();
        assertThat(event.data()).isEqualTo("{\"jsonrpc\":\"2.0\"}");
        assertThat(event.isMessage()).isTrue();
    }

    @Test
    void eventNamedMessageIsAMessage() {
        assertThat(new SseEvent(Optional.empty(), Optional.of("message"), "x", Optional.empty()).isMessage()).isTrue();
        assertThat(new SseEvent(Optional.empty(), Optional.of("endpoint"), "x", Optional.empty()).isMessage()).isFalse();
    }

    @Test
    void dataMayHoldSeveralLines() {
        assertThat(SseEvent.message("line1\nline2").data()).isEqualTo("line1\nline2");
        assertThat(SseEvent.message("").data()).isEmpty();
    }

    @Test
    void withIdReplacesTheIdOnly() {
        SseEvent event = new SseEvent(Optional.of("upstream-1"), Optional.of("message"), "d", Optional.of(1000L));

        assertThat(event.withId(Optional.of("ours-7"))).isEqualTo(new SseEvent(Optional.of("ours-7"), Optional.of("message"), "d", Optional.of(1000L)));
        assertThat(event.withId(Optional.empty()).id()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\r\nb"})
    void refusesMultiLineIdOrType(String value) {
        assertThatThrownBy(() -> new SseEvent(Optional.of(value), Optional.empty(), "d", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SseEvent(Optional.empty(), Optional.of(value), "d", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesIdWithNul() {
        assertThatThrownBy(() -> new SseEvent(Optional.of("a\0b"), Optional.empty(), "d", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNegativeRetry() {
        assertThatThrownBy(() -> new SseEvent(Optional.empty(), Optional.empty(), "d", Optional.of(-1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new SseEvent(Optional.empty(), Optional.empty(), "d", Optional.of(0L)).retryMillis()).contains(0L);
    }

    @Test
    void requiresEveryPart() {
        assertThatThrownBy(() -> new SseEvent(null, Optional.empty(), "d", Optional.empty())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SseEvent.message(null)).isInstanceOf(NullPointerException.class);
    }
}
