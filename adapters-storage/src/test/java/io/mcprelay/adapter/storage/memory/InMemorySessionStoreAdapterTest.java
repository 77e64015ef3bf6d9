package io.mcprelay.adapter.storage.memory;

import static io.mcprelay.adapter.storage.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.storage.MutableClock;
import io.mcprelay.adapter.storage.SessionStoreContract;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.SessionStorePort.CreateOutcome;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The in-memory store against the store contract, plus what only a store with an exact clock can show. */
class InMemorySessionStoreAdapterTest extends SessionStoreContract {

    private final MutableClock clock = new MutableClock();

    @Override
    protected SessionStorePort newStore(SessionPolicy policy, int maxSessions) {
        return new InMemorySessionStoreAdapter(policy, clock, maxSessions);
    }

    @Override
    protected void elapse(Duration duration) {
        clock.advance(duration);
    }

    @Override
    protected ClockPort clock() {
        return clock;
    }

    @Test
    void sessionExpiresAtTheExactInstantItsTtlEnds() {
        expiringStore(CAPACITY);
        Session session = fresh("s-1").build();
        store.create(session);

        elapse(ttl().minusNanos(1));
        assertThat(store.find(session.id())).isPresent();
        elapse(Duration.ofNanos(1));
        assertThat(store.find(session.id())).isEmpty();
    }

    @Test
    void touchSetsLastSeenAtToExactlyTheClocksNow() {
        Session session = fresh("s-1").build();
        store.create(session);
        elapse(Duration.ofMillis(250));

        assertThat(store.touch(session.id())).map(Session::lastSeenAt).contains(clock.now());
    }

    @Test
    void purgeExpiredReportsHowManyItDropped() {
        expiringStore(CAPACITY);
        store.create(fresh("old-1").build());
        store.create(fresh("old-2").build());
        elapse(ofTtl(0.7));
        store.create(fresh("young").build());
        elapse(ofTtl(0.7));

        assertThat(store.purgeExpired()).isEqualTo(2);
        assertThat(store.purgeExpired()).as("nothing left to drop").isZero();
    }

    @Test
    void findDropsTheExpiredSessionItMeets() {
        expiringStore(CAPACITY);
        store.create(fresh("old").build());
        elapse(pastTtl());

        assertThat(store.find(fresh("old").build().id())).isEmpty();
        assertThat(store.purgeExpired()).as("already dropped by find").isZero();
    }

    @Test
    void createPurgesExpiredSessionsBeforeRefusingForCapacity() {
        expiringStore(2);
        store.create(fresh("a").build());
        store.create(fresh("b").build());
        elapse(pastTtl());

        assertThat(store.create(fresh("c").build())).isEqualTo(CreateOutcome.CREATED);
        assertThat(store.purgeExpired()).as("create already purged a and b").isZero();
    }

    @Test
    void defaultCapacityIsOneHundredThousandSessions() {
        store = InMemorySessionStoreAdapter.withDefaultCapacity(new SessionPolicy(LONG_TTL), clock);
        for (int i = 0; i < InMemorySessionStoreAdapter.DEFAULT_MAX_SESSIONS; i++) {
            store.create(aSession("s-" + i).lastSeenAt(clock.now()).build());
        }

        assertThat(store.count()).isEqualTo(100_000);
        assertThat(store.create(fresh("one-more").build())).isEqualTo(CreateOutcome.CAPACITY_REACHED);
    }

    @Test
    void constructorRejectsACapacityBelowOne() {
        assertThatThrownBy(() -> new InMemorySessionStoreAdapter(SessionPolicy.defaults(), clock, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
