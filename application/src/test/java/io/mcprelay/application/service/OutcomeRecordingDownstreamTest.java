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
    void jsonIsOkAndReachesTheClient() {
        downstream.json(200, Head.NONE, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(client.bodyText()).isEqualTo("{}");
    }

    @Test
    void anUpstreamsErrorStatusPassedOnIsNoSuccess() {
        downstream.json(401, Head.NONE, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(downstream.outcome()).isEqualTo("upstream_status_4xx");

        downstream.passthrough(503, Head.NONE, "text/plain", new ByteArrayInputStream("down".getBytes(StandardCharsets.UTF_8)));
        assertThat(downstream.outcome()).isEqualTo("upstream_status_5xx");

        downstream.empty(404, Head.NONE);
        assertThat(downstream.outcome()).isEqualTo("upstream_status_4xx");
    }

    @Test
    void acceptedIsOk() {
        downstream.accepted(Head.NONE);

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.ACCEPTED);
    }

    @Test
    void emptyIsOk() {
        downstream.empty(200, Head.NONE);

        assertThat(downstream.outcome()).isEqualTo("ok");
        assertThat(client.answer()).isEqualTo(Answer.EMPTY);
    }

    @Test
    void passthroughIsOk() {
        downstream.passthrough(200, Head.NONE, "text/plain", new ByteArrayInputStream("hi".getBytes(StandardCharsets.UTF_8)));

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
