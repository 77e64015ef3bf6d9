package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.port.out.DownstreamPort.Head;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutcomeRecordingDownstreamTest {

    private final RecordingDownstream client = new RecordingDownstream();
    private final OutcomeRecordingDownstream downstream = new OutcomeRecordingDownstream(client);

    @Test
    void isUnansweredUntilAnAnswerIsGiven() {
        assertThat(downstream.outcome()).isEqualTo("unanswered");
    }

    @Test
    void rejectionIsItsReasonInLowerCaseAndReachesTheClient() {
        downstream.reject(Rejection.of(RejectionReason.UPSTREAM_TIMEOUT, "Gateway Timeout"));

        assertThat(downstream.outcome()).isEqualTo("upstream_timeout");
        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
    }

    @Test
    void anAnswerIsOkAndReachesTheClient() {
        downstream.answer(Head.NONE, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.bodyText()).isEqualTo("{}");
    }

    @Test
    void anUpstreamsRefusalIsOkAndReachesTheClient() {
        downstream.refused(Head.NONE, "{\"error\":{}}".getBytes(StandardCharsets.UTF_8));

        assertThat(downstream.outcome()).as("the upstream answered; the relay did not refuse").isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.bodyText()).isEqualTo("{\"error\":{}}");
    }

    @Test
    void acceptedIsOk() {
        downstream.accepted(Head.NONE);

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
    }

    @Test
    void endedIsOk() {
        downstream.ended(Head.NONE);

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.ENDED);
    }

    @Test
    void passthroughIsOk() {
        downstream.passthrough(Head.NONE, "text/plain", new ByteArrayInputStream("hi".getBytes(StandardCharsets.UTF_8)));

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.PASSTHROUGH);
    }

    @Test
    void eventStreamIsOkAndHandsOverTheClientsStream() {
        try (var stream = downstream.openEventStream(Head.NONE)) {
            assertThat(stream.comment("keep-alive")).isTrue();
        }

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.EVENT_STREAM);
        assertThat(client.comments()).containsExactly("keep-alive");
        assertThat(client.isClosed()).isTrue();
    }
}
