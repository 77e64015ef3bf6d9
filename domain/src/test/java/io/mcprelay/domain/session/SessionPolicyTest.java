package io.mcprelay.domain.session;

import static io.mcprelay.domain.session.SessionTestData.T0;
import static io.mcprelay.domain.session.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionPolicyTest {

    private final SessionPolicy policy = new SessionPolicy(Duration.ofMinutes(10));

    @Test
    void sessionExpiresOneTtlAfterItWasLastSeen() {
        Session session = aSession().lastSeenAt(T0.plusSeconds(30)).build();

        assertThat(policy.expiresAt(session)).isEqualTo(T0.plusSeconds(30).plus(Duration.ofMinutes(10)));
    }

    @Test
    void sessionIsLiveUntilJustBeforeItsExpiry() {
        Session session = aSession().build();

        assertThat(policy.isExpired(session, T0)).isFalse();
        assertThat(policy.isExpired(session, T0.plus(Duration.ofMinutes(10)).minusNanos(1))).isFalse();
    }

    @Test
    void expiryInstantItselfCountsAsExpired() {
        Session session = aSession().build();

        assertThat(policy.isExpired(session, T0.plus(Duration.ofMinutes(10)))).isTrue();
        assertThat(policy.isExpired(session, T0.plus(Duration.ofHours(1)))).isTrue();
    }

    @Test
    void useSlidesTheExpiry() {
        Session session = aSession().build().seenAt(T0.plus(Duration.ofMinutes(9)));

        assertThat(policy.isExpired(session, T0.plus(Duration.ofMinutes(15)))).isFalse();
        assertThat(policy.isExpired(session, T0.plus(Duration.ofMinutes(19)))).isTrue();
    }

    @Test
    void defaultsToThirtyMinutes() {
        assertThat(SessionPolicy.defaults().idleTtl()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refusesZeroOrNegativeTtl() {
        assertThatThrownBy(() -> new SessionPolicy(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPolicy(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPolicy(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesMissingInstant() {
        assertThatThrownBy(() -> policy.isExpired(aSession().build(), null)).isInstanceOf(NullPointerException.class);
    }
}
