package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.batch;
import static io.mcprelay.application.fixtures.Messages.initialize;
import static io.mcprelay.application.fixtures.Messages.initializeResult;
import static io.mcprelay.application.fixtures.Messages.notification;
import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.CountingMetrics.Request;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@link RelayService} reports per POSTed body: its method, its outcome, its latency. */
class RelayServiceMetricsTest {

    private static final String SESSION = "session-1";

    private final RelayHarness relay = RelayHarness.create();

    RelayServiceMetricsTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    private static RelayMessageCommand inSession(String body) {
        return aPost(body).inSession(SESSION).withProtocolVersion("2025-06-18").build();
    }

    private Request reported() {
        return relay.metrics().onlyRequest();
    }

    @Test
    void relayedRequestCountsAsOkUnderItsMethod() {
        relay.upstream().thenAnswer(json(result("7")));

        RecordingDownstream client = relay.post(inSession(request("7", "tools/list")));

        assertThat(client.answer()).isEqualTo(Answer.JSON);
        assertThat(reported().rpcMethod()).isEqualTo("tools/list");
        assertThat(reported().outcome()).isEqualTo("ok");
        assertThat(reported().latency().isNegative()).isFalse();
    }

    @Test
    void notificationCountsUnderItsMethod() {
        relay.upstream().thenAnswer(accepted());

        relay.post(inSession(notification("notifications/initialized")));

        assertThat(reported()).extracting(Request::rpcMethod, Request::outcome)
                .containsExactly("notifications/initialized", "ok");
    }

    @Test
    void initializeThatOpensASessionCountsAsOk() {
        relay.upstream().thenAnswer(json(initializeResult("1", "2025-06-18")));

        relay.post(aPost(initialize("1")).build());

        assertThat(reported()).extracting(Request::rpcMethod, Request::outcome).containsExactly("initialize", "ok");
    }

    @Test
    void responsesCountAsResponse() {
        relay.upstream().thenAnswer(accepted());

        relay.post(inSession(result("\"server-request-1\"")));

        assertThat(reported()).extracting(Request::rpcMethod, Request::outcome).containsExactly("response", "ok");
    }

    @Test
    void rejectionCountsAsItsReasonInLowerCase() {
        relay.post(aPost(request("7", "tools/list")).inSession("never-issued").build());

        assertThat(reported()).extracting(Request::rpcMethod, Request::outcome)
                .containsExactly("tools/list", "session_not_found");
    }

    @Test
    void undecodableBodyCountsAsInvalid() {
        relay.post(aPost("{\"jsonrpc\":").inSession(SESSION).build());
        relay.post(inSession("[]"));

        assertThat(relay.metrics().requests).extracting(Request::rpcMethod, Request::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("invalid", "parse_error"),
                org.assertj.core.groups.Tuple.tuple("invalid", "invalid_message"));
    }

    @Test
    void batchCountsAsBatch() {
        relay.post(inSession(batch(request("1", "tools/list"), request("2", "prompts/list"))));

        assertThat(reported()).extracting(Request::rpcMethod, Request::outcome)
                .containsExactly("batch", "batch_not_allowed");
    }

    @Test
    void upstreamTimeoutCountsAsUpstreamTimeout() {
        relay.upstream().thenAnswer(unreachable(Cause.TIMEOUT));

        relay.post(inSession(request("7", "tools/call")));

        assertThat(reported()).extracting(Request::rpcMethod, Request::outcome)
                .containsExactly("tools/call", "upstream_timeout");
    }

    @Test
    void unavailableStoreCountsAsStoreUnavailable() {
        relay.sessions().goDown();

        relay.post(inSession(request("7", "tools/list")));

        assertThat(reported().outcome()).isEqualTo("store_unavailable");
    }

    @Test
    void failureBeforeAnyAnswerIsStillCountedAsUnanswered() {
        relay.upstream().thenAnswer(request -> {
            throw new IllegalStateException("upstream adapter bug");
        });

        assertThatThrownBy(() -> relay.post(inSession(request("7", "tools/list"))))
                .isInstanceOf(IllegalStateException.class);

        assertThat(reported()).extracting(Request::rpcMethod, Request::outcome).containsExactly("tools/list", "unanswered");
    }

    @Test
    void latencyIsTheTimeSpentAnswering() {
        relay.upstream().thenAnswer(request -> {
            sleep(Duration.ofMillis(20));
            return json(result("7"));
        });

        relay.post(inSession(request("7", "tools/list")));

        assertThat(reported().latency()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
