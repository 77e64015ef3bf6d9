package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.CountingMetrics;
import io.mcprelay.application.fixtures.CountingMetrics.StoreOperation;
import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort.CreateOutcome;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredSessionStoreTest {

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemorySessions store = new InMemorySessions(clock);
    private final CountingMetrics metrics = new CountingMetrics();
    private final MeteredSessionStore metered = new MeteredSessionStore(store, metrics);
    private final Session session = aSession().withId("session-1").build();
    private final ProxySessionId id = session.id();

    @Test
    void delegatesEveryOperationAndReportsItByName() {
        assertThat(metered.create(session)).isEqualTo(CreateOutcome.CREATED);
        assertThat(metered.find(id)).contains(session);
        assertThat(metered.touch(id)).isPresent();
        assertThat(metered.bindUpstream(id, new UpstreamSessionId("up-1"))).get()
                .extracting(Session::upstreamSessionId).isEqualTo(java.util.Optional.of(new UpstreamSessionId("up-1")));
        assertThat(metered.list(SessionQuery.firstPage(10)).sessions()).hasSize(1);
        assertThat(metered.findAll(List.of(id))).containsOnlyKeys(id);
        assertThat(metered.count()).isEqualTo(1);
        assertThat(metered.purgeExpired()).isZero();
        assertThat(metered.delete(id)).isTrue();
        assertThat(metered.deleteAll(List.of(id))).isZero();

        assertThat(metrics.storeOperations).extracting(StoreOperation::operation).containsExactly(
                "create", "find", "touch", "bindUpstream", "list", "findAll", "count", "purgeExpired", "delete", "deleteAll");
        assertThat(metrics.storeOperations).allSatisfy(op -> {
            assertThat(op.failed()).isFalse();
            assertThat(op.latency().isNegative()).isFalse();
        });
        assertThat(store.stored()).isEmpty();
    }

    @Test
    void unavailableStoreIsReportedAsFailedAndTheExceptionPassesThrough() {
        store.goDown();

        assertThatThrownBy(() -> metered.find(id)).isInstanceOf(StoreUnavailableException.class);

        assertThat(metrics.storeOperations).singleElement().satisfies(op -> {
            assertThat(op.operation()).isEqualTo("find");
            assertThat(op.failed()).isTrue();
        });
    }
}
