package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.Messages;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.SessionShare;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A session's share of its upstream: beyond its requests in flight or its open GET streams it is
 * refused at once with SESSION_BUSY (429), without reaching the upstream; other sessions are not.
 * The second request is sent from inside the upstream's answer to the first, while the first holds
 * its slot.
 */
class SessionShareTest {

    private final RelayHarness relay = RelayHarness.builder()
            .settings(new RelaySettings(HeaderPolicy.defaults(), 32, new SessionShare(1, 1), io.mcprelay.domain.session.ClientQuota.defaults())).build();

    SessionShareTest() {
        relay.sessions().holding(aSession().withId("hog").build());
        relay.sessions().holding(aSession().withId("other").build());
    }

    @Test
    void aSessionBeyondItsRequestsInFlightIsRefusedAtOnceAndOthersAreNot() {
        AtomicReference<RecordingDownstream> second = new AtomicReference<>();
        AtomicReference<RecordingDownstream> otherSession = new AtomicReference<>();
        relay.upstream().thenAnswer(request -> {
            second.set(relay.post(aPost(Messages.request("2", "tools/call")).inSession("hog").build()));
            otherSession.set(relay.post(aPost(Messages.request("3", "ping")).inSession("other").build()));
            return json(Messages.result("1"));
        }).thenAnswer(json(Messages.result("3"))).thenAnswer(json(Messages.result("4")));

        RecordingDownstream first = relay.post(aPost(Messages.request("1", "tools/call")).inSession("hog").build());
        RecordingDownstream afterwards = relay.post(aPost(Messages.request("4", "tools/call")).inSession("hog").build());

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.get().rejection().reason()).isEqualTo(RejectionReason.SESSION_BUSY);
        assertThat(second.get().rejection().detail()).contains("1 requests in flight").contains("session-max-requests");
        assertThat(second.get().rejection().dataJson()).contains("{\"limit\":\"session-max-requests\",\"maxInFlight\":1}");
        assertThat(relay.metrics().limited).as("counted as a limit like the rate limits").containsExactly("session-max-requests/session");
        assertThat(second.get().rejection().requestId()).contains(new RequestId.NumericId("2"));
        assertThat(otherSession.get().status()).isEqualTo(200);
        assertThat(afterwards.status()).as("the slot came back").isEqualTo(200);
        assertThat(relay.upstream().requestCount()).isEqualTo(3);
    }

    @Test
    void aSessionBeyondItsOpenStreamsIsRefusedAtOnce() {
        AtomicReference<RecordingDownstream> second = new AtomicReference<>();
        relay.upstream().thenAnswer(request -> {
            second.set(get("hog"));
            return eventStream(ScriptedEventSource.of(ScriptedEventSource.event("{\"jsonrpc\":\"2.0\",\"method\":\"n\"}"),
                    ScriptedEventSource.end()));
        }).thenAnswer(request -> eventStream(ScriptedEventSource.of(ScriptedEventSource.end())));

        RecordingDownstream first = get("hog");
        RecordingDownstream again = get("hog");

        assertThat(first.answer()).isEqualTo(RecordingDownstream.Answer.EVENT_STREAM);
        assertThat(second.get().rejection().reason()).isEqualTo(RejectionReason.SESSION_BUSY);
        assertThat(second.get().rejection().detail()).contains("1 GET streams open").contains("session-max-streams");
        assertThat(again.answer()).as("the stream's slot came back when it ended").isEqualTo(RecordingDownstream.Answer.EVENT_STREAM);
        assertThat(relay.upstream().requestCount()).isEqualTo(2);
    }

    @Test
    void slotsAreCountedPerSessionAndGivenBackOnce() {
        SessionLoad load = new SessionLoad(2);
        var hog = new io.mcprelay.domain.session.ProxySessionId("hog");
        var one = load.take(hog).orElseThrow();
        var two = load.take(hog).orElseThrow();

        assertThat(load.take(hog)).isEmpty();
        assertThat(load.take(new io.mcprelay.domain.session.ProxySessionId("other"))).isPresent();
        one.close();
        one.close();
        assertThat(load.held(hog)).isEqualTo(1);
        two.close();
        assertThat(load.held(hog)).isZero();
        assertThat(load.sessionsHolding()).isEqualTo(1);
    }

    private RecordingDownstream get(String session) {
        return relay.get(new OpenStreamCommand(Optional.of(session), Optional.empty(), Optional.empty(), Map.of("Accept", "text/event-stream")));
    }
}
