package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The session gate as authenticated principals meet it: a session belongs to the principal that
 * opened it; to every other principal it does not exist (the same 404 as an unknown id), and naming
 * it must not keep it alive.
 */
class SessionGateTest {

    private static final ClientKey ALICE = ClientKey.ofPrincipal("alice");
    private static final ClientKey BOB = ClientKey.ofPrincipal("bob");
    private static final ProxySessionId ID = new ProxySessionId("session-of-alice");

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemorySessions sessions = new InMemorySessions(clock);
    private final SessionGate gate = new SessionGate(sessions);
    private final Instant opened;

    SessionGateTest() {
        opened = clock.now();
        sessions.holding(aSession().withId(ID.value()).openedAt(opened).lastSeenAt(opened).build().ownedBy(ALICE));
        clock.advance(Duration.ofSeconds(30));
    }

    @Test
    void itsOwnerEntersAndRenewsIt() {
        RecordingDownstream client = new RecordingDownstream();

        Optional<Session> entered = gate.enter(ID, Optional.empty(), ALICE, SessionGate.Renew.YES, client);

        assertThat(entered).isPresent();
        assertThat(sessions.find(ID).orElseThrow().lastSeenAt()).as("renewed").isEqualTo(clock.now());
    }

    @Test
    void anotherPrincipalGetsTheAnswerOfAnUnknownSessionAndDoesNotKeepItAlive() {
        RecordingDownstream client = new RecordingDownstream();

        Optional<Session> entered = gate.enter(ID, Optional.empty(), BOB, SessionGate.Renew.YES, client);

        assertThat(entered).isEmpty();
        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        RecordingDownstream unknown = new RecordingDownstream();
        gate.enter(new ProxySessionId("no-such-session"), Optional.empty(), BOB, SessionGate.Renew.YES, unknown);
        assertThat(client.rejection()).as("no hint that the session exists").isEqualTo(unknown.rejection());
        assertThat(sessions.find(ID).orElseThrow().lastSeenAt()).as("not renewed by a stranger").isEqualTo(opened);
    }

    @Test
    void anotherPrincipalIsRefusedWithoutRenewalToo() {
        RecordingDownstream client = new RecordingDownstream();

        assertThat(gate.enter(ID, Optional.empty(), BOB, SessionGate.Renew.NO, client)).isEmpty();
        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
    }

    @Test
    void aClientKnownOnlyByItsAddressCannotUseAPrincipalsSession() {
        RecordingDownstream client = new RecordingDownstream();

        assertThat(gate.enter(ID, Optional.empty(), ClientKey.ofAddress("127.0.0.1"), SessionGate.Renew.YES, client)).isEmpty();
        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
    }
}
