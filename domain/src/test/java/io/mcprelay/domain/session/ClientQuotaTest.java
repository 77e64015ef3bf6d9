package io.mcprelay.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientQuotaTest {

    private static final Instant T0 = Instant.parse("2026-12-07T04:00:00Z");
    private static final ClientKey HOG = ClientKey.ofAddress("127.0.0.1");
    private static final ClientKey OTHER = ClientKey.ofAddress("127.0.0.2");

    @Test
    void belowItsQuotaAClientLosesNothing() {
        ClientQuota quota = new ClientQuota(3);

        assertThat(quota.overQuota(List.of(seen("a", 1), seen("b", 2)))).isEmpty();
        assertThat(quota.overQuota(List.of())).isEmpty();
    }

    @Test
    void atItsQuotaAClientLosesItsLeastRecentlyUsedSessions() {
        ClientQuota quota = new ClientQuota(2);
        Session old = seen("old", 1);
        Session oldest = seen("oldest", 0);
        Session fresh = seen("fresh", 9);

        assertThat(quota.overQuota(List.of(fresh, old))).containsExactly(old);
        assertThat(quota.overQuota(List.of(fresh, old, oldest))).containsExactly(oldest, old);
        assertThat(ClientQuota.leastRecentlyUsed(List.of(fresh, oldest, old))).contains(oldest);
        assertThat(ClientQuota.leastRecentlyUsed(List.of())).isEqualTo(Optional.empty());
    }

    @Test
    void aFullStoreTakesFromTheBusiestClientNeverFromAClientAsSmallAsTheNewcomer() {
        assertThat(ClientQuota.evictsBusiest(OTHER, 0, HOG, 50)).isTrue();
        assertThat(ClientQuota.evictsBusiest(OTHER, 1, HOG, 3)).isTrue();
        assertThat(ClientQuota.evictsBusiest(OTHER, 1, HOG, 2)).as("2 for 2: refuse the newcomer").isFalse();
        assertThat(ClientQuota.evictsBusiest(OTHER, 0, HOG, 1)).as("a lone session stays").isFalse();
        assertThat(ClientQuota.evictsBusiest(HOG, 5, HOG, 5)).as("the busiest replaces its own").isTrue();
        assertThat(ClientQuota.evictsBusiest(HOG, 0, HOG, 0)).isFalse();
    }

    @Test
    void aQuotaIsAtLeastOne() {
        assertThat(ClientQuota.defaults().maxSessionsPerClient()).isEqualTo(10_000);
        assertThatThrownBy(() -> new ClientQuota(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientKeysNameAnAddressOrAPrincipal() {
        assertThat(ClientKey.ofAddress("::1").value()).isEqualTo("addr:::1");
        assertThat(ClientKey.ofPrincipal("alice").value()).isEqualTo("principal:alice");
        assertThatThrownBy(() -> new ClientKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientKey("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientKey("x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSessionKeepsItsOwnerThroughItsLife() {
        Session session = seen("s", 0).ownedBy(HOG);

        assertThat(session.seenAt(T0.plusSeconds(60)).owner()).isEqualTo(HOG);
        assertThat(session.boundTo(new UpstreamSessionId("u")).owner()).isEqualTo(HOG);
        assertThat(Session.opened(new ProxySessionId("t"), "up", Optional.empty(), ProtocolVersion.V2025_06_18, ClientInfo.UNKNOWN, T0)
                .owner()).isEqualTo(ClientKey.UNKNOWN);
    }

    private static Session seen(String id, int second) {
        return Session.opened(new ProxySessionId(id), "up", Optional.empty(), ProtocolVersion.V2025_06_18, ClientInfo.UNKNOWN,
                T0.plusSeconds(second), HOG);
    }
}
