package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.limit.Caller;
import io.mcprelay.domain.session.Session;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-principal limit counts the authenticated principal when there is one, the session otherwise. */
class RateLimitCallerTest {

    private final Session session = aSession().build();

    @Test
    void anAuthenticatedCallerIsCountedByItsSubject() {
        Principal alice = Principal.of("alice", Set.of());
        RelayMessageCommand command = new RelayMessageCommand(Optional.of(session.id().value()), Optional.empty(), Map.of(), new byte[0],
                alice.clientKey(), Optional.of(alice));
        assertThat(RateLimitGate.callerOf(command, session)).isEqualTo(Caller.ofPrincipal("alice"));
    }

    @Test
    void anAnonymousCallerIsCountedBySession() {
        RelayMessageCommand command = new RelayMessageCommand(Optional.of(session.id().value()), Optional.empty(), Map.of(), new byte[0]);
        assertThat(RateLimitGate.callerOf(command, session)).isEqualTo(Caller.ofSession(session.id()));
    }
}
