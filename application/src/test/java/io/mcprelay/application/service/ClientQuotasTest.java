package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.initialize;
import static io.mcprelay.application.fixtures.Messages.initializeResult;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionShare;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One client cannot hold every session: its quota costs it its own oldest sessions, and a full store takes from the busiest. */
class ClientQuotasTest {

    private static final String HOG = "10.0.0.1";

    private RelayHarness relay(int capacity, int quota) {
        RelayHarness relay = RelayHarness.builder().capacity(capacity)
                .settings(new RelaySettings(HeaderPolicy.defaults(), 32, SessionShare.defaults(), new ClientQuota(quota))).build();
        AtomicInteger opened = new AtomicInteger();
        relay.upstream().otherwiseAnswer(request -> request.kind() == ScriptedUpstream.Kind.END ? accepted()
                : json(initializeResult("1", "2025-06-18"), "upstream-" + opened.incrementAndGet()));
        return relay;
    }

    private static ProxySessionId open(RelayHarness relay, String address) {
        RecordingDownstream client = relay.post(aPost(initialize("1")).from(address).build());
        relay.clock().advance(Duration.ofSeconds(1));
        return client.head().sessionId().orElseThrow(() -> new AssertionError("refused: " + client.rejection()));
    }

    @Test
    void aClientAtItsQuotaLosesItsOwnLeastRecentlyUsedSession() {
        RelayHarness relay = relay(100, 2);
        ProxySessionId first = open(relay, HOG);
        ProxySessionId second = open(relay, HOG);
        ProxySessionId other = open(relay, "10.0.0.2");
        relay.sessions().touch(first);

        ProxySessionId third = open(relay, HOG);

        assertThat(relay.sessions().find(second)).as("least recently used").isEmpty();
        assertThat(relay.sessions().find(first)).isPresent();
        assertThat(relay.sessions().find(third)).isPresent();
        assertThat(relay.sessions().find(other)).isPresent();
        assertThat(relay.sessions().stored()).extracting(Session::owner)
                .containsOnly(ClientKey.ofAddress(HOG), ClientKey.ofAddress("10.0.0.2"));
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).singleElement()
                .satisfies(delete -> assertThat(delete.sessionId().orElseThrow().value()).isEqualTo("upstream-2"));
    }

    @Test
    void aFullStoreTakesFromTheBusiestClientInsteadOfRefusingANewcomer() {
        RelayHarness relay = relay(4, 10);
        ProxySessionId oldestOfHog = open(relay, HOG);
        open(relay, HOG);
        open(relay, HOG);
        ProxySessionId small = open(relay, "10.0.0.2");

        ProxySessionId newcomer = open(relay, "10.0.0.3");

        assertThat(relay.sessions().find(newcomer)).isPresent();
        assertThat(relay.sessions().find(small)).isPresent();
        assertThat(relay.sessions().find(oldestOfHog)).isEmpty();
        assertThat(relay.sessions().sessionsOf(ClientKey.ofAddress(HOG), 10)).hasSize(2);
    }

    @Test
    void aFullStoreOfLoneSessionsRefusesTheNewcomerRatherThanTakeOne() {
        RelayHarness relay = relay(2, 10);
        open(relay, "10.0.0.2");
        open(relay, "10.0.0.3");

        RecordingDownstream refused = relay.post(aPost(initialize("1")).from("10.0.0.4").build());

        assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.SESSION_LIMIT_REACHED);
        assertThat(relay.sessions().stored()).hasSize(2);
    }

    @Test
    void theBusiestClientReplacesItsOwnWhenItIsTheOneOpening() {
        RelayHarness relay = relay(3, 10);
        List<ProxySessionId> held = List.of(open(relay, HOG), open(relay, HOG), open(relay, HOG));

        ProxySessionId fourth = open(relay, HOG);

        assertThat(relay.sessions().find(held.get(0))).isEmpty();
        assertThat(relay.sessions().find(fourth)).isPresent();
        assertThat(relay.sessions().stored()).hasSize(3);
    }
}
