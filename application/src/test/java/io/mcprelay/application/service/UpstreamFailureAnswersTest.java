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
    void credentialsTheRelayCannotGetAreA503OrA502SayingWhy() {
        relay.upstream().thenAnswer(new io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable(Cause.CREDENTIALS_UNAVAILABLE,
                "the token endpoint https://idp/token answered HTTP 503"));
        RecordingDownstream unavailable = post(request("7", "tools/list"));
        assertThat(unavailable.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_CREDENTIALS_UNAVAILABLE);
        assertThat(unavailable.rejection().detail()).contains("cannot get its credentials").contains("HTTP 503");
        assertThat(unavailable.rejection().requestId()).contains(new RequestId.NumericId("7"));

        relay.upstream().thenAnswer(new io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable(Cause.CREDENTIALS_REFUSED,
                "HTTP 401 (invalid_client)"));
        RecordingDownstream refused = post(request("8", "tools/list"));
        assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_CREDENTIALS_REFUSED);
        assertThat(refused.rejection().detail()).contains("refused mcp-relay credentials").contains("invalid_client");
        assertThat(GuardedUpstream.outcomeOf(new io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable(Cause.CREDENTIALS_REFUSED, "x")))
                .as("not the upstream's fault").isEqualTo(io.mcprelay.domain.routing.ExchangeOutcome.SUCCESS);
    }

    @Test
    void aFailedNotificationIsRefusedWithoutARequestId() {
        relay.upstream().thenAnswer(unreachable(Cause.TIMEOUT));

        RecordingDownstream client = post(notification("notifications/progress"));

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
        assertThat(client.rejection().requestId()).isEqualTo(Optional.empty());
    }

    private RecordingDownstream post(String body) {
        return relay.post(aPost(body).inSession(SESSION).withProtocolVersion("2025-06-18").build());
    }
}
