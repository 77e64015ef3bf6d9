package io.mcprelay.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.session.ProxySessionId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoggedEventTest {

    @Test
    void showsClientsOurIdAndNeverTheUpstreams() {
        LoggedEvent event = new LoggedEvent(7, Optional.of("message"), "{}", Optional.of("upstream-uuid"));

        SseEvent client = event.toClientEvent(new StreamId("s1"));

        assertThat(client).isEqualTo(new SseEvent(Optional.of("s1:7"), Optional.of("message"), "{}", Optional.empty()));
    }

    @Test
    void sequencesStartAtOne() {
        assertThatThrownBy(() -> new LoggedEvent(0, Optional.empty(), "", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logStatePositionsMustBeConsistent() {
        StreamInfo info = new StreamInfo(new StreamId("s"), new ProxySessionId("p"), StreamKind.POST_RESPONSE, Instant.EPOCH);

        assertThat(new LogState(info, 1, 0, false, Optional.empty()).lastSequence()).isZero();
        assertThatThrownBy(() -> new LogState(info, 5, 3, false, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogState(info, 0, 3, false, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weighsDataAndIds() {
        assertThat(new LoggedEvent(1, Optional.empty(), "x".repeat(100), Optional.of("abc")).weight())
                .isGreaterThan(new LoggedEvent(1, Optional.empty(), "x", Optional.empty()).weight());
    }
}
