package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.RelayCommands.aDelete;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TerminateServiceTest {

    private static final String SESSION = "session-1";

    private final RelayHarness relay = RelayHarness.create();

    TerminateServiceTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    @Test
    void endsTheSessionHereAndUpstream() {
        relay.upstream().thenAnswer(new UpstreamReply.Accepted(io.mcprelay.application.fixtures.TestEcho.OK));

        RecordingDownstream client = relay.delete(aDelete().inSession(SESSION).withProtocolVersion("2025-06-18").build());

        assertThat(client.answer()).isEqualTo(Answer.ENDED);
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.body()).isEmpty();
        assertThat(client.head().sessionId()).isEmpty();
        assertThat(relay.sessions().stored()).isEmpty();
        ScriptedUpstream.Sent sent = relay.upstream().onlyRequest();
        assertThat(sent.kind()).isEqualTo(ScriptedUpstream.Kind.END);
        assertThat(sent.target()).isEqualTo(RelayHarness.PRIMARY);
        assertThat(sent.sessionId()).contains(new UpstreamSessionId("upstream-session-1"));
        assertThat(sent.body()).isEmpty();
        assertThat(sent.client().keySet()).noneMatch(name -> name.equalsIgnoreCase("mcp-session-id"));
        assertThat(sent.protocolVersion()).hasValue(new ProtocolVersion("2025-06-18"));
    }

    @Test
    void laterRequestsWithTheEndedSessionAreNotFound() {
        relay.upstream().thenAnswer(accepted());
        relay.delete(aDelete().inSession(SESSION).build());

        RecordingDownstream later = relay.post(aPost(request("1", "tools/list")).inSession(SESSION).build());
        RecordingDownstream again = relay.delete(aDelete().inSession(SESSION).build());

        assertThat(later.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(again.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void unknownSessionIsNotFound() {
        RecordingDownstream client = relay.delete(aDelete().inSession("never-issued").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(relay.sessions().stored()).hasSize(1);
    }

    @Test
    void expiredSessionIsNotFound() {
        relay.clock().advance(Duration.ofMinutes(31));

        RecordingDownstream client = relay.delete(aDelete().inSession(SESSION).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesDeleteWithoutSessionId() {
        RecordingDownstream client = relay.delete(aDelete().build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MISSING_SESSION_ID);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesDeleteWithMalformedSessionId() {
        RecordingDownstream client = relay.delete(aDelete().inSession("bad id").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MALFORMED_SESSION_ID);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void refusesDeleteWithUnsupportedVersionAndKeepsTheSession() {
        RecordingDownstream client = relay.delete(aDelete().inSession(SESSION).withProtocolVersion("2099-01-01").build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(relay.sessions().stored()).hasSize(1);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void endsStatelessSessionWithoutAskingTheUpstream() {
        relay.sessions().holding(aSession().withId("stateless").stateless().build());

        RecordingDownstream client = relay.delete(aDelete().inSession("stateless").build());

        assertThat(client.answer()).isEqualTo(Answer.ENDED);
        assertThat(client.status()).isEqualTo(200);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void endsTheSessionEvenWhenTheUpstreamRefusesDelete() {
        relay.upstream().thenAnswer(failed(405, "text/plain", "Method Not Allowed"));

        RecordingDownstream client = relay.delete(aDelete().inSession(SESSION).build());

        assertThat(client.status()).isEqualTo(200);
        assertThat(relay.sessions().stored()).isEmpty();
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void endsTheSessionEvenWhenTheUpstreamCannotBeReached() {
        relay.upstream().thenAnswer(unreachable(Cause.CONNECT));

        RecordingDownstream client = relay.delete(aDelete().inSession(SESSION).build());

        assertThat(client.status()).isEqualTo(200);
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void releasesAnUpstreamStreamAnsweringTheDelete() {
        ScriptedEventSource events = ScriptedEventSource.ofData("{}");
        relay.upstream().thenAnswer(eventStream(events));

        relay.delete(aDelete().inSession(SESSION).build());

        assertThat(events.isClosed()).isTrue();
    }

    @Test
    void endsTheSessionWhoseUpstreamIsNoLongerConfigured() {
        relay.sessions().holding(aSession().withId("orphan").withUpstream("removed").build());

        RecordingDownstream client = relay.delete(aDelete().inSession("orphan").build());

        assertThat(client.status()).isEqualTo(200);
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(relay.sessions().stored()).hasSize(1);
    }

    @Test
    void doesNotForwardCredentialsByDefault() {
        relay.upstream().thenAnswer(accepted());

        relay.delete(aDelete().inSession(SESSION).withHeader("Authorization", "Bearer t").withHeader("Mcp-Custom", "c").build());

        assertThat(relay.upstream().onlyRequest().client()).doesNotContainKey("Authorization").containsEntry("Mcp-Custom", "c");
    }

    @Test
    void forwardsCredentialsWhenConfigured() {
        RelayHarness trusting = RelayHarness.builder().settings(new RelaySettings(new HeaderPolicy(true), 32)).build();
        trusting.sessions().holding(aSession().withId(SESSION).withProtocolVersion(ProtocolVersion.V2025_11_25).build());
        trusting.upstream().thenAnswer(accepted());

        trusting.delete(aDelete().inSession(SESSION).withHeader("Authorization", "Bearer t").build());

        assertThat(trusting.upstream().onlyRequest().client()).containsEntry("Authorization", "Bearer t");
        assertThat(trusting.upstream().onlyRequest().protocolVersion()).hasValue(ProtocolVersion.V2025_11_25);
    }

    @Test
    void unavailableStoreIsAServiceUnavailable() {
        relay.sessions().goDown();

        RecordingDownstream client = relay.delete(aDelete().inSession(SESSION).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.STORE_UNAVAILABLE);
        assertThat(relay.upstream().requestCount()).isZero();
    }
}
