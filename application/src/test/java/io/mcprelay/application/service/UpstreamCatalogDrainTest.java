package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/** An operator drains an upstream: no new sessions, its sessions continue, and a reload that keeps the upstream keeps the drain. */
class UpstreamCatalogDrainTest {

    private static final UpstreamSpec A = UpstreamSpec.of(new UpstreamTarget("a", URI.create("http://a.test/mcp")));
    private static final UpstreamSpec B = UpstreamSpec.of(new UpstreamTarget("b", URI.create("http://b.test/mcp")));
    private static final HealthCheckPolicy HEALTH = new HealthCheckPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2), 1, 1);

    private final MutableClock clock = MutableClock.startingNow();
    private final UpstreamCatalog catalog = new UpstreamCatalog(List.of(A, B), SelectionStrategy.ROUND_ROBIN,
            BreakerPolicy.defaults(), HEALTH, clock);

    private UpstreamStatus status(String name) {
        return catalog.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private List<String> picks(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            catalog.pickForNewSession().ifPresent(t -> names.add(t.name()));
        }
        return names;
    }

    @Test
    void aDrainedUpstreamGetsNoNewSessionsButServesItsOwn() {
        assertThat(catalog.setDrained("a", true)).isTrue();

        assertThat(picks(4)).containsOnly("b");
        assertThat(status("a").drained()).isTrue();
        assertThat(catalog.byName("a")).as("its sessions still find it").isPresent();
        assertThat(catalog.begin("a")).as("and their requests still go").isPresent();

        assertThat(catalog.setDrained("a", false)).isTrue();
        assertThat(picks(4)).contains("a", "b");
        assertThat(status("a").drained()).isFalse();
    }

    @Test
    void withEveryUpstreamDrainedNoNewSessionCanStart() {
        catalog.setDrained("a", true);
        catalog.setDrained("b", true);

        assertThat(catalog.pickForNewSession()).isEmpty();
    }

    @Test
    void anUnknownUpstreamCannotBeDrained() {
        assertThat(catalog.setDrained("nope", true)).isFalse();
        assertThat(catalog.status()).noneMatch(UpstreamStatus::drained);
    }

    @Test
    void theDrainSurvivesAReloadThatKeepsTheUpstreamAndEndsWhenItMoves() {
        catalog.setDrained("a", true);

        catalog.replace(List.of(A.withWeight(3), B), SelectionStrategy.ROUND_ROBIN);
        assertThat(status("a").drained()).as("same name and endpoint: the drain stays").isTrue();
        assertThat(picks(3)).containsOnly("b");

        catalog.replace(List.of(UpstreamSpec.of(new UpstreamTarget("a", URI.create("http://a2.test/mcp"))), B), SelectionStrategy.ROUND_ROBIN);
        assertThat(status("a").drained()).as("a new endpoint is another server: it starts undrained").isFalse();
    }

    @Test
    void aRetiredUpstreamThatComesBackIsStillDrained() {
        catalog.setDrained("b", true);
        catalog.replace(List.of(A), SelectionStrategy.ROUND_ROBIN);
        catalog.replace(List.of(A, B), SelectionStrategy.ROUND_ROBIN);

        assertThat(status("b").drained()).isTrue();
        assertThat(picks(3)).containsOnly("a");
    }

    @Test
    void operatorsSeeCountsTheLatestProbeAndSinceWhenTheHealthHolds() {
        java.time.Instant configured = clock.now();
        catalog.begin("a").orElseThrow().finish(ExchangeOutcome.SUCCESS);
        catalog.begin("a").orElseThrow().finish(ExchangeOutcome.TIMEOUT);
        assertThat(status("a").lastCheck()).isEmpty();
        assertThat(status("a").healthSince()).isEqualTo(configured);

        clock.advance(Duration.ofSeconds(5));
        catalog.recordProbe("a", true, "ok");
        java.time.Instant healthy = clock.now();
        clock.advance(Duration.ofSeconds(5));
        catalog.recordProbe("a", true, "ok");

        UpstreamStatus a = status("a");
        assertThat(a.exchanges()).isEqualTo(2);
        assertThat(a.failures()).isEqualTo(1);
        assertThat(a.health()).isEqualTo(UpstreamHealth.HEALTHY);
        assertThat(a.healthSince()).as("a probe that does not change the health does not restart the clock").isEqualTo(healthy);
        assertThat(a.lastCheck()).contains(clock.now());
    }
}
