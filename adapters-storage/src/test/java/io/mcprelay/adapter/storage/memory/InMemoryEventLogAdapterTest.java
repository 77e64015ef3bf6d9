package io.mcprelay.adapter.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.storage.EventLogBoundsContract;
import io.mcprelay.adapter.storage.LogAwaiter;
import io.mcprelay.adapter.storage.MutableClock;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The in-memory replay log against the contract, plus what only a log with an exact clock can show
 * and the choices this log makes where the port leaves them open.
 */
class InMemoryEventLogAdapterTest extends EventLogBoundsContract {

    private final MutableClock clock = new MutableClock();

    @Override
    protected EventLogPort newLog(ReplayLogLimits limits) {
        return new InMemoryEventLogAdapter(limits, clock);
    }

    @Override
    protected StreamLeasePort leasesOf(EventLogPort log) {
        return new InMemoryStreamLeaseAdapter((InMemoryEventLogAdapter) log);
    }

    @Override
    protected void elapse(Duration duration) {
        clock.advance(duration);
    }

    @Override
    protected ClockPort clock() {
        return clock;
    }

    @Test
    void logExpiresAtTheExactInstantItsTtlEnds() {
        StreamInfo stream = opened("s-1", "session-a");
        log.append(stream.id(), entry("a"));

        elapse(TTL.minusNanos(1));
        assertThat(log.state(stream.id())).isPresent();
        elapse(Duration.ofNanos(1));
        assertThat(log.state(stream.id())).isEmpty();
    }

    @Test
    void purgeExpiredReportsExactlyHowManyItDropped() {
        opened("s-old-1", "session-a");
        opened("s-old-2", "session-b");
        elapse(MOST_OF_TTL);
        opened("s-young", "session-a");
        elapse(MOST_OF_TTL);

        assertThat(log.purgeExpired()).isEqualTo(2);
        assertThat(log.purgeExpired()).isZero();
    }

    @Test
    void deleteSessionDoesNotCountExpiredLogs() {
        opened("s-old", "session-a");
        elapse(MOST_OF_TTL);
        opened("s-young", "session-a");
        elapse(MOST_OF_TTL);

        assertThat(log.deleteSession(new ProxySessionId("session-a"))).isEqualTo(1);
    }

    @Test
    void newestEventIsKeptEvenWhenHeavierThanMaxBytes() {
        log = newLog(new ReplayLogLimits(1_000, 100, TTL, 100));
        StreamInfo stream = opened("s-1", "session-a");
        log.append(stream.id(), entry(weighing(40)));

        log.append(stream.id(), entry(weighing(150)));

        assertThat(log.state(stream.id())).get().returns(2L, LogState::firstSequence).returns(2L, LogState::lastSequence);
        assertThat(log.readAfter(stream.id(), 1, 10).events()).extracting(LoggedEvent::sequence).containsExactly(2L);
        log.append(stream.id(), entry(weighing(20)));
        assertThat(log.state(stream.id())).as("and goes as soon as another comes").map(LogState::firstSequence).contains(3L);
    }

    @Test
    void completeAndUpstreamCursorIgnoreMissingLogsAndCompleteIsIdempotent() {
        StreamInfo stream = opened("s-1", "session-a");
        log.complete(stream.id());
        log.complete(stream.id());
        log.recordUpstreamCursor(stream.id(), "up-after-end");

        assertThat(log.state(stream.id())).get()
                .returns(true, LogState::complete)
                .returns(Optional.empty(), LogState::upstreamCursor);
        log.complete(new StreamId("unknown"));
        log.recordUpstreamCursor(new StreamId("unknown"), "up-1");
        assertThat(log.state(new StreamId("unknown"))).as("neither creates a log").isEmpty();
    }

    @Test
    void openingAStreamIdThatHasALiveLogThrowsButAnExpiredOneIsFree() {
        StreamInfo stream = opened("s-1", "session-a");
        log.append(stream.id(), entry("a"));

        assertThatThrownBy(() -> log.open(stream)).isInstanceOf(IllegalStateException.class).hasMessageContaining("s-1");
        elapse(TTL);
        StreamInfo reopened = opened("s-1", "session-b");
        assertThat(log.state(reopened.id())).contains(new LogState(reopened, 1, 0, false, Optional.empty()));
        assertThat(log.deleteSession(new ProxySessionId("session-a"))).as("the old owner no longer holds it").isZero();
        assertThat(log.state(reopened.id())).isPresent();
    }

    @Test
    void awaitAfterOnAMissingLogReturnsAtOnce() {
        long started = System.nanoTime();

        assertThat(log.awaitAfter(new StreamId("unknown"), 0, 10, AWAIT_TIMEOUT)).isEqualTo(LogSlice.missing());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(AWAIT_TIMEOUT);
    }

    @Test
    void awaitAfterReportsALogThatExpiredWhileWaitingAsGone() throws Exception {
        StreamInfo stream = opened("s-1", "session-a");

        try (LogAwaiter awaiter = LogAwaiter.start(() -> log.awaitAfter(stream.id(), 0, 10, SHORT_TIMEOUT))) {
            awaiter.awaitParked();
            elapse(TTL);

            assertThat(awaiter.result()).isEqualTo(LogSlice.missing());
        }
    }

    @Test
    void evictingALogWakesItsWaiters() throws Exception {
        log = newLog(new ReplayLogLimits(1_000, 1L << 20, Duration.ofMinutes(5), 1));
        StreamInfo first = opened("s-1", "session-a");

        try (LogAwaiter awaiter = LogAwaiter.start(() -> log.awaitAfter(first.id(), 0, 10, AWAIT_TIMEOUT))) {
            awaiter.awaitParked();
            opened("s-2", "session-a");

            assertThat(awaiter.result()).isEqualTo(LogSlice.missing());
            assertThat(awaiter.elapsed()).isLessThan(AWAIT_TIMEOUT);
        }
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() throws Exception {
        log = newLog(new ReplayLogLimits(1_000, 1L << 20, Duration.ofMinutes(5), 10));
        StreamInfo stream = opened("s-1", "session-a");
        boolean[] interrupted = new boolean[1];

        try (LogAwaiter awaiter = LogAwaiter.start(() -> {
            LogSlice slice = log.awaitAfter(stream.id(), 0, 10, Duration.ofSeconds(30));
            interrupted[0] = Thread.currentThread().isInterrupted();
            return slice;
        })) {
            awaiter.awaitParked();
            awaiter.thread().interrupt();

            assertThat(awaiter.result().state()).map(LogState::lastSequence).contains(0L);
            assertThat(interrupted[0]).isTrue();
        }
    }

    @Test
    void readsRejectANegativePositionOrMax() {
        StreamInfo stream = opened("s-1", "session-a");

        assertThatThrownBy(() -> log.readAfter(stream.id(), -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.awaitAfter(stream.id(), 0, -1, SHORT_TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(log.readAfter(stream.id(), 0, 0).state()).as("max 0 reads the state only").isPresent();
    }
}
