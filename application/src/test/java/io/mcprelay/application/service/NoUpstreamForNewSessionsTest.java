package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.error;
import static io.mcprelay.application.fixtures.Messages.initialize;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.CountingMetrics.Request;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamHealth;
import org.junit.jupiter.api.Test;

/** An initialize while no upstream is healthy gets 503 carrying its id; sessions that exist go on. */
class NoUpstreamForNewSessionsTest {

    private final RelayHarness relay = RelayHarness.create();

    @Test
    void anInitializeIsRefusedWith503WhenEveryUpstreamIsDown() {
        for (int i = 0; i < 5; i++) {
            relay.catalog().recordProbe(RelayHarness.PRIMARY.name(), false, "probe failed");
        }
        assertThat(relay.catalog().status().getFirst().health()).isEqualTo(UpstreamHealth.UNHEALTHY);

        RecordingDownstream client = relay.post(aPost(initialize("\"init-1\"")).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.NO_UPSTREAM_AVAILABLE);
        assertThat(client.rejection().requestId()).contains(new RequestId.StringId("init-1"));
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void aClientsErrorResponseToAServerRequestIsRelayedAndCountedAsAResponse() {
        relay.sessions().holding(aSession().withId("session-1").withUpstreamSessionId("u-1").build());
        relay.upstream().thenAnswer(accepted());

        RecordingDownstream client = relay.post(aPost(error("\"server-request-1\"", -32601, "no such method"))
                .inSession("session-1").withProtocolVersion("2025-06-18").build());

        assertThat(client.status()).isEqualTo(202);
        assertThat(relay.metrics().requests).extracting(Request::rpcMethod).containsExactly("response");
    }
}
