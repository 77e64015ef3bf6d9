package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import java.nio.charset.StandardCharsets;
import io.mcprelay.application.fixtures.TestEcho;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ProxySessionId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a GET for the standalone stream is answered when the upstream or the store cannot give one. */
class StandaloneStreamRefusalsTest {

    private static final String SESSION = "session-1";

    private final RelayHarness relay = RelayHarness.create();

    StandaloneStreamRefusalsTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    @Test
    void aSessionWhoseUpstreamIsNoLongerConfiguredIsEndedWith404() {
        relay.sessions().holding(aSession().withId("session-9").withUpstream("removed").build());

        RecordingDownstream client = get("session-9");

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(client.rejection().detail()).contains("no longer configured");
        assertThat(relay.sessions().find(new ProxySessionId("session-9"))).isEmpty();
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void anUpstreamJsonErrorBelow500IsRelayedAsIs() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"no\"}}";
        // what the HTTP adapter makes of a GET answered 400 with JSON (McpRepliesTest): its status, none of its headers
        relay.upstream().thenAnswer(new UpstreamReply.Refused(Optional.of(body.getBytes(StandardCharsets.UTF_8)), "GET with HTTP 400", false,
                new TestEcho(400, Map.of())));

        RecordingDownstream client = get(SESSION);

        assertThat(client.answer()).isEqualTo(Answer.REFUSED);
        assertThat(client.status()).isEqualTo(400);
        assertThat(client.bodyText()).isEqualTo(body);
        assertThat(client.head().sessionId()).contains(new ProxySessionId(SESSION));
    }

    @Test
    void anyOtherUpstreamFailureIsABadGatewayNamingItsStatus() {
        relay.upstream().thenAnswer(new UpstreamReply.Refused(Optional.of("{}".getBytes(StandardCharsets.UTF_8)), "GET with HTTP 500", true,
                        new TestEcho(500, Map.of())))
                .thenAnswer(new UpstreamReply.Refused(Optional.empty(), "GET with HTTP 403", false, new TestEcho(403, Map.of())));

        RecordingDownstream serverError = get(SESSION);
        RecordingDownstream htmlError = get(SESSION);

        assertThat(serverError.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(serverError.rejection().detail()).isEqualTo("Bad Gateway: the upstream answered GET with HTTP 500");
        assertThat(htmlError.rejection().detail()).isEqualTo("Bad Gateway: the upstream answered GET with HTTP 403");
        assertThat(relay.sessions().find(new ProxySessionId(SESSION))).as("the session stays").isPresent();
    }

    @Test
    void anUnreachableUpstreamIsNamedByItsCause() {
        relay.upstream().thenAnswer(unreachable(UpstreamReply.Unreachable.Cause.TIMEOUT))
                .thenAnswer(unreachable(UpstreamReply.Unreachable.Cause.SATURATED));

        assertThat(get(SESSION).rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
        assertThat(get(SESSION).rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_SATURATED);
    }

    @Test
    void anUpstreamThatAcceptsOrAnswersTheStandaloneStreamWithOtherContentIsABadGatewayToo() {
        UpstreamReply other = io.mcprelay.application.fixtures.UpstreamReplies.passthrough("text/html", "<html>");
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.accepted()).thenAnswer(other);

        RecordingDownstream accepted = get(SESSION);
        RecordingDownstream html = get(SESSION);

        assertThat(List.of(accepted, html)).allSatisfy(client -> assertThat(client.rejection().detail())
                .isEqualTo("Bad Gateway: the upstream answered GET without an event stream"));
    }

    @Test
    void anUpstreamThatAnswersGetWithoutAnEventStreamIsABadGateway() {
        relay.upstream().thenAnswer(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));

        RecordingDownstream client = get(SESSION);

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(client.rejection().detail()).isEqualTo("Bad Gateway: the upstream answered GET without an event stream");
    }

    @Test
    void anUnreachableStoreGives503() {
        relay.sessions().goDown();

        RecordingDownstream client = get(SESSION);

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.STORE_UNAVAILABLE);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    private RecordingDownstream get(String session) {
        return relay.get(new OpenStreamCommand(Optional.of(session), Optional.empty(), Optional.empty(), Map.of("Accept", "text/event-stream")));
    }
}
