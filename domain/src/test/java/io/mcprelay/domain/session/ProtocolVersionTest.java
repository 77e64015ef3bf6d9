package io.mcprelay.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolVersionTest {

    @Test
    void supportsTheSessionBasedRevisionsOldestFirst() {
        assertThat(ProtocolVersion.SUPPORTED).containsExactly(ProtocolVersion.V2024_11_05, ProtocolVersion.V2025_03_26,
                ProtocolVersion.V2025_06_18, ProtocolVersion.V2025_11_25);
        assertThat(ProtocolVersion.SUPPORTED).isSorted();
    }

    @Test
    void findsSupportedRevisionByName() {
        assertThat(ProtocolVersion.supported("2025-06-18")).contains(ProtocolVersion.V2025_06_18);
        assertThat(ProtocolVersion.supported("2024-10-07")).isEmpty();
        assertThat(ProtocolVersion.supported("2026-07-28")).isEmpty();
        assertThat(ProtocolVersion.supported("garbage")).isEmpty();
        assertThat(ProtocolVersion.supported(null)).isEmpty();
    }

    @Test
    void assumes20250326WhenHeaderIsAbsent() {
        assertThat(ProtocolVersion.ASSUMED_WHEN_ABSENT).isEqualTo(ProtocolVersion.V2025_03_26);
    }

    @Test
    void allowsBatchingUpTo20250326Only() {
        assertThat(ProtocolVersion.V2024_11_05.allowsBatching()).isTrue();
        assertThat(ProtocolVersion.V2025_03_26.allowsBatching()).isTrue();
        assertThat(ProtocolVersion.V2025_06_18.allowsBatching()).isFalse();
        assertThat(ProtocolVersion.V2025_11_25.allowsBatching()).isFalse();
    }

    @Test
    void expectsPrimingFrom20251125() {
        assertThat(ProtocolVersion.V2025_06_18.expectsPriming()).isFalse();
        assertThat(ProtocolVersion.V2025_11_25.expectsPriming()).isTrue();
        assertThat(new ProtocolVersion("2026-07-28").expectsPriming()).isTrue();
    }

    @Test
    void ordersByDate() {
        assertThat(ProtocolVersion.V2025_03_26).isLessThan(ProtocolVersion.V2025_06_18);
        assertThat(new ProtocolVersion("2025-06-18")).isEqualByComparingTo(ProtocolVersion.V2025_06_18)
                .isEqualTo(ProtocolVersion.V2025_06_18);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2025-6-18", "2025/06/18", "v2025-06-18", "2025-06-18 ", "latest", "2025-06-18T00:00"})
    void refusesTextThatIsNotADate(String text) {
        assertThatThrownBy(() -> new ProtocolVersion(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsAsItsValue() {
        assertThat(ProtocolVersion.V2025_11_25).hasToString("2025-11-25");
    }
}
