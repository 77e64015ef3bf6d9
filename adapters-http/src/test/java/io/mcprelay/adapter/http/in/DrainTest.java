package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DrainTest {

    private final Drain drain = new Drain();

    @Test
    void readinessFailsWithAReasonOnceBegun() {
        assertThat(drain.notReady()).isEmpty();

        drain.begin();

        assertThat(drain.draining()).isTrue();
        assertThat(drain.notReady()).hasValueSatisfying(reason -> assertThat(reason).contains("draining"));
    }

    @Test
    void countsRequestsInFlightAndThoseItWaitsFor() {
        drain.requestStarted(true);
        drain.requestStarted(false);
        assertThat(drain.inFlight()).isEqualTo(2);
        assertThat(drain.awaited()).isEqualTo(1);

        drain.requestEnded(true);
        drain.requestEnded(false);
        assertThat(drain.inFlight()).isZero();
        assertThat(drain.awaited()).isZero();
    }

    @Test
    void endsOpenStreamsAndAnyThatOpensAfterwards() {
        AtomicInteger closed = new AtomicInteger();
        HelidonEventStream open = stream(closed);
        drain.streamOpened(open);

        assertThat(drain.endStreams()).isEqualTo(1);
        assertThat(closed).hasValue(1);
        assertThat(drain.openStreams()).isZero();

        drain.streamOpened(stream(closed));
        assertThat(closed).as("a stream opened after the end is ended at once").hasValue(2);
        assertThat(drain.openStreams()).isZero();
    }

    private static HelidonEventStream stream(AtomicInteger closed) {
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() throws IOException {
                closed.incrementAndGet();
            }
        };
        return new HelidonEventStream(out);
    }
}
