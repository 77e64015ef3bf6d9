package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.ExchangeOutcome;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Replacing the upstream list at run time (configuration reload): state kept, removed upstreams retired, not dropped. */
class UpstreamCatalogReplaceTest {

    private static final UpstreamSpec A = UpstreamSpec.of(new UpstreamTarget("a", URI.create("http://a.test/mcp")));
    private static final UpstreamSpec B = UpstreamSpec.of(new UpstreamTarget("b", URI.create("http://b.test/mcp")));
    private static final UpstreamSpec C = UpstreamSpec.of(new UpstreamTarget("c", URI.create("http://c.test/mcp")));
    private static final BreakerPolicy BREAKER = new BreakerPolicy(2, Duration.ofSeconds(30), 1, 1);
    private static final HealthCheckPolicy HEALTH = new HealthCheckPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2), 1, 1);

    private final MutableClock clock = MutableClock.startingNow();
    private final UpstreamCatalog catalog = new UpstreamCatalog(List.of(A, B), SelectionStrategy.ROUND_ROBIN, BREAKER, HEALTH, clock);

    private UpstreamStatus status(String name) {
        return catalog.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private List<String> picks(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(catalog.pickForNewSession().orElseThrow().name());
        }
        return names;
    }

    private void fail(String name) {
        catalog.begin(name).orElseThrow().finish(ExchangeOutcome.CONNECT_FAILURE);
    }

    @Test
    void anUnchangedUpstreamKeepsItsBreakerHealthAndErrors() {
        fail("a");
        fail("a");
        catalog.recordProbe("b", false, "refused");

        UpstreamCatalog.Change change = catalog.replace(List.of(A, B, C), SelectionStrategy.ROUND_ROBIN);

        assertThat(change.added()).containsExactly("c");
        assertThat(change.retired()).isEmpty();
        assertThat(change.updated()).isEmpty();
        assertThat(status("a").breaker()).isEqualTo("OPEN");
        assertThat(status("a").recentErrors()).isNotEmpty();
        assertThat(status("b").health()).isEqualTo(UpstreamHealth.UNHEALTHY);
        assertThat(status("c").health()).isEqualTo(UpstreamHealth.UNKNOWN);
        assertThat(picks(4)).as("a is open, b unhealthy: only the new c takes sessions").containsOnly("c");
    }

    @Test
    void aRemovedUpstreamIsRetiredItsSessionsStillReachItButItGetsNoNewOnes() {
        UpstreamCatalog.Change change = catalog.replace(List.of(B, C), SelectionStrategy.ROUND_ROBIN);

        assertThat(change.retired()).containsExactly("a");
        assertThat(catalog.byName("a")).as("a session bound to a still finds it").contains(A.target());
        assertThat(catalog.begin("a")).as("and its exchanges pass the breaker").isPresent();
        assertThat(catalog.all()).extracting(UpstreamTarget::name).containsExactly("b", "c");
        assertThat(catalog.retired()).containsExactly("a");
        assertThat(picks(6)).containsOnly("b", "c");
        assertThat(status("a").enabled()).as("shown as taking no new sessions").isFalse();
    }

    @Test
    void aRetiredUpstreamIsForgottenOnlyOnceIdleForTheGivenTimeWithNothingInFlight() {
        catalog.replace(List.of(B), SelectionStrategy.ROUND_ROBIN);
        UpstreamCatalog.Exchange open = catalog.begin("a").orElseThrow();

        clock.advance(Duration.ofMinutes(31));
        assertThat(catalog.forgetRetiredIdleFor(Duration.ofMinutes(30))).as("a stream is still open on it").isEmpty();

        open.finish(ExchangeOutcome.SUCCESS);
        clock.advance(Duration.ofMinutes(10));
        assertThat(catalog.forgetRetiredIdleFor(Duration.ofMinutes(30))).as("used 10 minutes ago").isEmpty();

        clock.advance(Duration.ofMinutes(21));
        assertThat(catalog.forgetRetiredIdleFor(Duration.ofMinutes(30))).containsExactly("a");
        assertThat(catalog.byName("a")).isEmpty();
        assertThat(catalog.status()).extracting(UpstreamStatus::name).containsExactly("b");
    }

    @Test
    void weightAndEnabledChangesApplyToNewSessions() {
        UpstreamCatalog.Change change = catalog.replace(List.of(A.withEnabled(false), B), SelectionStrategy.ROUND_ROBIN);

        assertThat(change.updated()).containsExactly("a");
        assertThat(change.isEmpty()).isFalse();
        assertThat(picks(4)).containsOnly("b");

        catalog.replace(List.of(A.withWeight(3), B), SelectionStrategy.WEIGHTED_ROUND_ROBIN);
        List<String> eight = picks(8);

        assertThat(eight.stream().filter("a"::equals).count()).isEqualTo(6);
        assertThat(status("a").weight()).isEqualTo(3);
        assertThat(catalog.strategy()).isEqualTo(SelectionStrategy.WEIGHTED_ROUND_ROBIN);
    }

    @Test
    void aRetiredUpstreamThatComesBackIsRestoredWithItsState() {
        fail("a");
        fail("a");
        UpstreamCatalog.Change retirement = catalog.replace(List.of(B), SelectionStrategy.ROUND_ROBIN);
        assertThat(retirement.retired()).containsExactly("a");
        assertThat(retirement.isEmpty()).isFalse();

        UpstreamCatalog.Change change = catalog.replace(List.of(A, B), SelectionStrategy.ROUND_ROBIN);

        assertThat(change.added()).containsExactly("a");
        assertThat(catalog.retired()).isEmpty();
        assertThat(status("a").enabled()).isTrue();
        assertThat(status("a").breaker()).isEqualTo("OPEN");
    }

    @Test
    void aNewEndpointUnderAnOldNameIsAFreshUpstream() {
        fail("a");
        fail("a");
        UpstreamSpec movedA = UpstreamSpec.of(new UpstreamTarget("a", URI.create("http://a2.test/mcp")));

        UpstreamCatalog.Change change = catalog.replace(List.of(movedA, B), SelectionStrategy.ROUND_ROBIN);

        assertThat(change.moved()).containsExactly("a");
        assertThat(change.isEmpty()).isFalse();
        assertThat(catalog.byName("a")).contains(movedA.target());
        assertThat(status("a").breaker()).isEqualTo("CLOSED");
        assertThat(catalog.retired()).isEmpty();
    }

    @Test
    void anInvalidListChangesNothing() {
        assertThatThrownBy(() -> catalog.replace(List.of(), SelectionStrategy.ROUND_ROBIN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.replace(List.of(A, UpstreamSpec.of(new UpstreamTarget("a", URI.create("http://x.test/mcp")))),
                SelectionStrategy.ROUND_ROBIN)).isInstanceOf(IllegalArgumentException.class);

        assertThat(catalog.all()).extracting(UpstreamTarget::name).containsExactly("a", "b");
        assertThat(catalog.replace(List.of(A, B), SelectionStrategy.ROUND_ROBIN).isEmpty()).isTrue();
    }

    @Test
    void sessionsArePlacedWhileTheListIsReplacedOverAndOver() throws Exception {
        Set<String> picked = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 5_000; i++) {
                        Optional<UpstreamTarget> target = catalog.pickForNewSession();
                        target.ifPresent(u -> picked.add(u.name()));
                        target.flatMap(u -> catalog.begin(u.name())).ifPresent(e -> e.finish(ExchangeOutcome.SUCCESS));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            });
        }
        for (int i = 0; i < 500; i++) {
            catalog.replace(i % 2 == 0 ? List.of(B, C) : List.of(A, C), SelectionStrategy.ROUND_ROBIN);
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
        assertThat(picked).isSubsetOf("a", "b", "c").contains("c");
        assertThat(catalog.status()).allSatisfy(s -> assertThat(s.inFlight()).isZero());
    }
}
