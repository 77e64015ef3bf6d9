package io.mcprelay.adapter.http.metrics;

import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.in.UpstreamStatusQuery;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-upstream gauges, read from an {@link UpstreamStatusQuery} once per scrape rather than kept up
 * to date by the relay: {@link #refresh()} asks the query and replaces every row, so upstreams that
 * appear or go away show up or vanish at the next scrape. Until {@link #readFrom} is called there are
 * no upstreams.
 */
final class UpstreamGauges {

    private volatile UpstreamStatusQuery query = List::of;
    private final MultiGauge health;
    private final MultiGauge circuitOpen;
    private final MultiGauge inFlight;
    private final ReentrantLock lock = new ReentrantLock();

    UpstreamGauges(MeterRegistry registry) {
        this.health = MultiGauge.builder("mcp.relay.upstream.health")
                .description("The upstream's health-check state: 1 on the current state's series, 0 on the others")
                .register(registry);
        this.circuitOpen = MultiGauge.builder("mcp.relay.upstream.circuit.open")
                .description("1 while the upstream's circuit breaker is open, else 0 (closed or half-open)")
                .register(registry);
        this.inFlight = MultiGauge.builder("mcp.relay.upstream.in.flight")
                .description("Requests and streams open to the upstream now")
                .register(registry);
    }

    void readFrom(UpstreamStatusQuery query) {
        this.query = Objects.requireNonNull(query, "query");
    }

    /** Reads the query once and rewrites every upstream row. Called before each scrape. */
    void refresh() {
        List<UpstreamStatus> all = query.upstreamStatus();
        List<MultiGauge.Row<?>> healthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> circuitRows = new ArrayList<>();
        List<MultiGauge.Row<?>> inFlightRows = new ArrayList<>();
        for (UpstreamStatus status : all) {
            Tags upstream = Tags.of("upstream", status.name());
            for (UpstreamHealth state : UpstreamHealth.values()) {
                healthRows.add(MultiGauge.Row.of(upstream.and("state", state.name().toLowerCase(Locale.ROOT)),
                        status.health() == state ? 1 : 0));
            }
            circuitRows.add(MultiGauge.Row.of(upstream, "OPEN".equals(status.breaker()) ? 1 : 0));
            inFlightRows.add(MultiGauge.Row.of(upstream, status.inFlight()));
        }
        lock.lock();
        try {
            health.register(healthRows, true);
            circuitOpen.register(circuitRows, true);
            inFlight.register(inFlightRows, true);
        } finally {
            lock.unlock();
        }
    }
}
