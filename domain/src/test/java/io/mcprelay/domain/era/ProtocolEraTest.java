package io.mcprelay.domain.era;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtocolEraTest {

    @Test
    void versionsOnOrAfterTheFirstModernRevisionAreModern() {
        assertThat(ProtocolEra.of("2026-07-28")).isEqualTo(ProtocolEra.MODERN);
        assertThat(ProtocolEra.of(" 2027-01-01 ")).isEqualTo(ProtocolEra.MODERN);
        assertThat(ProtocolEra.of("2025-11-25")).isEqualTo(ProtocolEra.LEGACY);
        assertThat(ProtocolEra.of("2026-07-27")).isEqualTo(ProtocolEra.LEGACY);
        assertThat(ProtocolEra.of("draft")).isEqualTo(ProtocolEra.LEGACY);
        assertThat(ProtocolEra.of("9999-99-99x")).isEqualTo(ProtocolEra.LEGACY);
        assertThat(ProtocolEra.of(Optional.empty())).isEqualTo(ProtocolEra.LEGACY);
        assertThat(ProtocolEra.MODERN.label()).isEqualTo("modern");
        assertThat(ProtocolEra.LEGACY.label()).isEqualTo("legacy");
    }

    @Test
    void upstreamErasParseAndDecideWhereModernRequestsGo() {
        assertThat(UpstreamEra.parse(" Dual")).contains(UpstreamEra.DUAL);
        assertThat(UpstreamEra.parse("both")).isEmpty();
        EraVerdict modern = EraVerdict.ofDiscoverResult(List.of("2026-07-28", "2025-11-25"));
        assertThat(UpstreamEra.AUTO.servesModern(modern, "2026-07-28")).isTrue();
        assertThat(UpstreamEra.AUTO.servesModern(modern, "2027-01-01")).isFalse();
        assertThat(UpstreamEra.AUTO.servesModern(EraVerdict.LEGACY, "2026-07-28")).isFalse();
        assertThat(UpstreamEra.MODERN.servesModern(EraVerdict.UNKNOWN, "2027-01-01")).isTrue();
        assertThat(UpstreamEra.DUAL.servesModern(EraVerdict.LEGACY, "2026-07-28")).isTrue();
        assertThat(UpstreamEra.LEGACY.servesModern(modern, "2026-07-28")).isFalse();
        assertThat(UpstreamEra.AUTO.needsProbe(EraVerdict.UNKNOWN)).isTrue();
        assertThat(UpstreamEra.AUTO.needsProbe(modern)).isFalse();
        assertThat(UpstreamEra.MODERN.needsProbe(EraVerdict.UNKNOWN)).isFalse();
    }

    @Test
    void aDiscoverResultWithoutModernVersionsIsLegacyAndAFailedProbeKeepsTheVerdict() {
        assertThat(EraVerdict.ofDiscoverResult(List.of("2025-11-25"))).isEqualTo(EraVerdict.LEGACY);
        assertThat(EraVerdict.ofDiscoverResult(List.of())).isEqualTo(EraVerdict.LEGACY);
        EraVerdict modern = EraVerdict.ofDiscoverResult(List.of("2026-07-28"));
        assertThat(modern.updatedBy(EraVerdict.UNKNOWN)).isEqualTo(modern);
        assertThat(modern.updatedBy(EraVerdict.LEGACY)).isEqualTo(EraVerdict.LEGACY);
        assertThat(modern.describe()).isEqualTo("modern (2026-07-28)");
        assertThat(EraVerdict.UNKNOWN.describe()).isEqualTo("unknown");
        assertThat(EraVerdict.LEGACY.describe()).isEqualTo("legacy");
    }
}
