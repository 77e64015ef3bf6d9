package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.notification;
import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a POST is answered when the upstream fails it: its own JSON, a JSON-RPC error naming the status, or a refusal. */
class UpstreamFailureAnswersTest {

    private static final String SESSION = "session-1";

    private final RelayHarness relay = RelayHarness.create();

    UpstreamFailureAnswersTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    @Test
    void aClientErrorWithAnEmptyJsonBodyBecomesAJsonRpcErrorCarryingTheRequestId() {
        relay.upstream().thenAnswer(failed(429, "application/json", ""));

        RecordingDownstream client = post(request("7", "tools/list"));

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.status()).isEqualTo(429);
        assertThat(client.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32000,\"message\":\"Upstream answered HTTP 429\"}}");
    }

    @Test
    void aPlainRefusalBecomesAJsonRpcErrorSayingWhatTheUpstreamAnswered() {
        // the HTTP adapter clips the upstream's text and replaces its control characters (McpRepliesTest)
        relay.upstream().thenAnswer(UpstreamReplies.refused(403, "HTTP 403: denied?" + "x".repeat(193) + "..."));

        RecordingDownstream client = post(request("7", "tools/list"));

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.status()).isEqualTo(403);
        assertThat(client.bodyText()).contains("\"id\":7").contains("\"message\":\"Upstream answered HTTP 403: denied?" + "x".repeat(193) + "...\"");
    }

    @Test
    void aFullUpstreamPoolIsA503ForTheRequest() {
        relay.upstream().thenAnswer(unreachable(Cause.SATURATED));

        RecordingDownstream client = post(request("7", "tools/list"));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_SATURATED);
        assertThat(client.rejection().requestId()).contains(new RequestId.NumericId("7"));
    }

    @Test
    void aFailedNotificationIsRefusedWithoutARequestId() {
        relay.upstream().thenAnswer(unreachable(Cause.TIMEOUT));

        RecordingDownstream client = post(notification("notifications/progress"));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
        assertThat(client.rejection().requestId()).isEqualTo(Optional.empty());
    }

    @Test
    void withoutTheTransportsOwnWordsEachCauseGetsTheRelaysGeneralOnes() {
        // the texts the HTTP clients' hostile suites pin (HostileUpstreamsIT)
        // (within a session, CONNECT means the session is lost: 404; a GET stream gets this text)
        assertThat(UpstreamAnswers.unreachable(unreachable(Cause.CONNECT)).detail()).isEqualTo("Bad Gateway: the upstream cannot be reached");
        assertThat(rejectionFor(unreachable(Cause.DROPPED)))
                .isEqualTo("Bad Gateway: the upstream closed the connection without answering: dropped (scripted)");
        assertThat(rejectionFor(unreachable(Cause.TIMEOUT))).isEqualTo("Gateway Timeout: the upstream did not answer in time");
        assertThat(rejectionFor(unreachable(Cause.PROTOCOL)))
                .isEqualTo("Bad Gateway: the upstream's answer is unusable (not valid HTTP, or over a size limit): protocol (scripted)");
        assertThat(rejectionFor(unreachable(Cause.SATURATED)))
                .isEqualTo("Service Unavailable: the upstream is at its connection limit; retry shortly");
    }

    @Test
    void theTransportsOwnWordsReplaceTheGeneralOnesUnderTheCausesStatus() {
        assertThat(rejectionFor(unreachable(Cause.DROPPED, "the upstream process exited with status 9")))
                .isEqualTo("Bad Gateway: the upstream process exited with status 9");
        assertThat(rejectionFor(unreachable(Cause.TIMEOUT, "the upstream process did not answer within 5 s")))
                .isEqualTo("Gateway Timeout: the upstream process did not answer within 5 s");
        assertThat(rejectionFor(unreachable(Cause.PROTOCOL, "the upstream process wrote a line longer than 8 MiB")))
                .isEqualTo("Bad Gateway: the upstream process wrote a line longer than 8 MiB");
        assertThat(rejectionFor(unreachable(Cause.SATURATED, "upstream t already runs 4 processes")))
                .isEqualTo("Service Unavailable: upstream t already runs 4 processes; retry shortly");
        assertThat(UpstreamAnswers.unreachable(unreachable(Cause.CONNECT, "cannot start 'x': no such command")).detail())
                .isEqualTo("Bad Gateway: cannot start 'x': no such command");
        assertThat(rejectionFor(unreachable(Cause.DROPPED, "y".repeat(300)))).as("clipped")
                .isEqualTo("Bad Gateway: " + "y".repeat(200) + "...");
    }

    private String rejectionFor(UpstreamReply.Unreachable reply) {
        RelayHarness fresh = RelayHarness.create();
        fresh.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
        fresh.upstream().thenAnswer(reply);
        return fresh.post(aPost(request("7", "tools/list")).inSession(SESSION).withProtocolVersion("2025-06-18").build())
                .rejection().detail();
    }

    private RecordingDownstream post(String body) {
        return relay.post(aPost(body).inSession(SESSION).withProtocolVersion("2025-06-18").build());
    }
}
