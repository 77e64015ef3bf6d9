package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.stream.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The upstream side of a pump: its cursor and retry hint, the re-attachment from them, and when it turns stale. */
class PumpUpstreamTest {

    private final List<String> resumedFrom = new ArrayList<>();
    private final ScriptedEventSource first = ScriptedEventSource.of(ScriptedEventSource.end());
    private final ScriptedEventSource second = ScriptedEventSource.of(ScriptedEventSource.end());

    private PumpUpstream upstream(Optional<UpstreamEvents> resumes) {
        return new PumpUpstream(first, cursor -> {
            resumedFrom.add(cursor);
            return resumes;
        });
    }

    @Test
    void reattachesFromTheLastEventIdAndClosesTheOldStream() {
        PumpUpstream upstream = upstream(Optional.of(second));
        assertThat(upstream.reattach(false, () -> false, "s")).as("no event id yet").isFalse();
        assertThat(resumedFrom).isEmpty();

        upstream.saw(new SseEvent(Optional.of("up-1"), Optional.empty(), "a", Optional.of(250L)));
        upstream.saw(new SseEvent(Optional.empty(), Optional.empty(), "b", Optional.empty()));

        assertThat(upstream.cursor()).contains("up-1");
        assertThat(upstream.retryHint()).contains(250L);
        assertThat(upstream.reattached()).isFalse();
        assertThat(upstream.reattach(true, () -> false, "s")).isTrue();
        assertThat(resumedFrom).containsExactly("up-1");
        assertThat(upstream.reattached()).isTrue();
        assertThat(first.isClosed()).isTrue();
        assertThat(upstream.next()).isInstanceOf(UpstreamEvents.Read.End.class);
        assertThat(second.readCount()).as("reads the new stream").isEqualTo(1);
        assertThat(first.readCount()).isZero();
        assertThat(second.isClosed()).isFalse();
    }

    @Test
    void doesNotReattachWhenReleasedOrRefused() {
        PumpUpstream refused = upstream(Optional.empty());
        refused.saw(new SseEvent(Optional.of("up-1"), Optional.empty(), "a", Optional.empty()));
        assertThat(refused.reattach(false, () -> false, "s")).isFalse();

        PumpUpstream released = upstream(Optional.of(second));
        released.saw(new SseEvent(Optional.of("up-1"), Optional.empty(), "a", Optional.empty()));
        assertThat(released.reattach(false, () -> true, "s")).isFalse();
        assertThat(resumedFrom).as("released before asking").containsExactly("up-1");
    }

    @Test
    void aSilentReattachedStreamIsClosedToPollItAndItsStalenessCountsFromItsLastEvent() throws InterruptedException {
        PumpUpstream upstream = upstream(Optional.of(second));
        upstream.markReattached();
        Duration after = Duration.ofSeconds(2);
        assertThat(upstream.untilStale(after)).isBetween(Duration.ofMillis(1_500), after);

        upstream.repollIfStale(after);
        assertThat(upstream.takeRepoll()).as("not silent long enough: no id either").isFalse();
        upstream.saw(new SseEvent(Optional.of("up-1"), Optional.empty(), "a", Optional.empty()));
        Thread.sleep(5);
        upstream.repollIfStale(Duration.ofMillis(1));
        assertThat(first.isClosed()).isTrue();
        assertThat(upstream.takeRepoll()).isTrue();
        assertThat(upstream.takeRepoll()).as("taken once").isFalse();
        assertThat(upstream.untilStale(Duration.ZERO)).isLessThanOrEqualTo(Duration.ZERO);
    }
}
