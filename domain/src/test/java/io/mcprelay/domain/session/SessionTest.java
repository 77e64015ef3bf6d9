package io.mcprelay.domain.session;

import static io.mcprelay.domain.session.SessionTestData.T0;
import static io.mcprelay.domain.session.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionTest {

    @Test
    void openedSessionIsCreatedAndSeenNow() {
        Session session = Session.opened(new ProxySessionId("p"), "primary", Optional.empty(), ProtocolVersion.V2025_03_26,
                ClientInfo.UNKNOWN, T0);

        assertThat(session.createdAt()).isEqualTo(T0);
        assertThat(session.lastSeenAt()).isEqualTo(T0);
        assertThat(session.upstreamSessionId()).isEmpty();
    }

    @Test
    void seenAtMovesLastSeenForward() {
        Session session = aSession().build();

        Session seen = session.seenAt(T0.plusSeconds(5));

        assertThat(seen.lastSeenAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(seen.createdAt()).isEqualTo(T0);
        assertThat(seen).usingRecursiveComparison().ignoringFields("lastSeenAt").isEqualTo(session);
    }

    @Test
    void seenAtNeverMovesLastSeenBackwards() {
        Session session = aSession().lastSeenAt(T0.plus(Duration.ofMinutes(10))).build();

        assertThat(session.seenAt(T0.plus(Duration.ofMinutes(3)))).isSameAs(session);
        assertThat(session.seenAt(T0.plus(Duration.ofMinutes(10)))).isSameAs(session);
    }

    @Test
    void boundToRecordsUpstreamSessionAndKeepsTheRest() {
        Session session = aSession().stateless().lastSeenAt(T0.plusSeconds(1)).build();

        Session bound = session.boundTo(new UpstreamSessionId("u-2"));

        assertThat(bound.upstreamSessionId()).contains(new UpstreamSessionId("u-2"));
        assertThat(bound).usingRecursiveComparison().ignoringFields("upstreamSessionId").isEqualTo(session);
    }

    @Test
    void boundToReplacesAnEarlierUpstreamSession() {
        Session bound = aSession().withUpstreamSessionId("old").build().boundTo(new UpstreamSessionId("new"));

        assertThat(bound.upstreamSessionId()).contains(new UpstreamSessionId("new"));
    }

    @Test
    void refusesSessionSeenBeforeItWasCreated() {
        assertThatThrownBy(() -> aSession().createdAt(T0).lastSeenAt(T0.minusMillis(1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requiresEveryField() {
        assertThatThrownBy(() -> new Session(null, "u", Optional.empty(), ProtocolVersion.V2025_03_26, ClientInfo.UNKNOWN, T0, T0))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Session(new ProxySessionId("p"), "u", null, ProtocolVersion.V2025_03_26, ClientInfo.UNKNOWN, T0, T0))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aPrincipalsSessionIsUsableByThatPrincipalOnly() {
        Session alices = aSession().build().ownedBy(ClientKey.ofPrincipal("alice"));

        assertThat(alices.usableBy(ClientKey.ofPrincipal("alice"))).isTrue();
        assertThat(alices.usableBy(ClientKey.ofPrincipal("bob"))).isFalse();
        assertThat(alices.usableBy(ClientKey.ofAddress("10.0.0.1"))).as("a client without a token").isFalse();
        assertThat(alices.usableBy(ClientKey.UNKNOWN)).isFalse();
    }

    @Test
    void anAddressOwnedSessionIsNotBoundToItsAddressButNeverOpenToAPrincipal() {
        Session anonymous = aSession().build().ownedBy(ClientKey.ofAddress("10.0.0.1"));

        assertThat(anonymous.usableBy(ClientKey.ofAddress("10.0.0.2"))).as("clients move between addresses").isTrue();
        assertThat(anonymous.usableBy(ClientKey.UNKNOWN)).isTrue();
        assertThat(anonymous.usableBy(ClientKey.ofPrincipal("alice"))).isFalse();
    }
}
