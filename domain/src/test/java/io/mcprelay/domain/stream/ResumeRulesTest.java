package io.mcprelay.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.session.ProxySessionId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ResumeRulesTest {

    private static final ProxySessionId MINE = new ProxySessionId("session-mine");
    private static final ProxySessionId THEIRS = new ProxySessionId("session-theirs");
    private static final StreamId A = new StreamId("streamA");
    private static final StreamId B = new StreamId("streamB");

    /** Stream A of my session holds events 4..10 (1..3 were dropped); stream B belongs to another session. */
    private static final Map<StreamId, LogState> STATES = Map.of(
            A, new LogState(new StreamInfo(A, MINE, StreamKind.POST_RESPONSE, Instant.EPOCH), 4, 10, false, Optional.empty()),
            B, new LogState(new StreamInfo(B, THEIRS, StreamKind.STANDALONE, Instant.EPOCH), 1, 2, true, Optional.empty()));
    private final Function<StreamId, Optional<LogState>> logs = id -> Optional.ofNullable(STATES.get(id));

    @Test
    void resumesAfterAPositionWhoseLaterEventsAreAllKept() {
        assertThat(ResumeRules.resolve("streamA:3", MINE, logs))
                .isInstanceOfSatisfying(ResumePoint.Resume.class, r -> {
                    assertThat(r.afterSequence()).isEqualTo(3);
                    assertThat(r.log().stream().id()).isEqualTo(A);
                });
        assertThat(ResumeRules.resolve("streamA:10", MINE, logs)).isInstanceOf(ResumePoint.Resume.class);
    }

    @Test
    void aPositionWhoseNextEventWasDroppedIsEvicted() {
        assertThat(ResumeRules.resolve("streamA:2", MINE, logs))
                .isInstanceOfSatisfying(ResumePoint.Evicted.class, e -> assertThat(e.firstRetained()).isEqualTo(4));
        assertThat(ResumeRules.resolve("streamA:0", MINE, logs)).isInstanceOf(ResumePoint.Evicted.class);
    }

    @Test
    void anotherSessionsStreamIsForeign() {
        assertThat(ResumeRules.resolve("streamB:1", MINE, logs)).isInstanceOf(ResumePoint.ForeignSession.class);
    }

    @Test
    void unknownStreamsAndPositionsBeyondTheEndAreUnknown() {
        assertThat(ResumeRules.resolve("streamC:1", MINE, logs)).isInstanceOf(ResumePoint.Unknown.class);
        assertThat(ResumeRules.resolve("streamA:11", MINE, logs)).isInstanceOf(ResumePoint.Unknown.class);
    }

    @Test
    void anythingElseIsMalformed() {
        assertThat(ResumeRules.resolve("5f0c-uuid", MINE, logs)).isInstanceOf(ResumePoint.Malformed.class);
        assertThat(ResumeRules.resolve(null, MINE, logs)).isInstanceOf(ResumePoint.Malformed.class);
        assertThat(ResumeRules.resolve(" streamA:3 ", MINE, logs)).isInstanceOf(ResumePoint.Resume.class);
    }
}
