package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.in.UpstreamStatusQuery;
import io.mcprelay.domain.routing.BreakerDecision;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.Candidate;
import io.mcprelay.domain.routing.CircuitBreaker;
import io.mcprelay.domain.routing.ExchangeOutcome;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.HealthState;
import io.mcprelay.domain.routing.SelectionInput;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The configured upstreams and what is known of each right now: health from active probes, a
 * circuit breaker fed by every exchange, requests in flight, recent errors. Picks the upstream for a
 * new session with the configured strategy among the eligible ones (enabled, not unhealthy, breaker
 * not open); a session then stays on its upstream. Thread-safe.
 */
public final class UpstreamCatalog implements UpstreamStatusQuery {

    private final Map<String, UpstreamRuntime> upstreams = new LinkedHashMap<>();
    private final SelectionStrategy strategy;
    private final ClockPort clock;
    private final AtomicLong turn = new AtomicLong();

    /**
     * @param specs    the upstreams in configuration order (names unique)
     * @param strategy how new sessions are spread
     * @param breaker  the circuit breaker settings of every upstream
     * @param health   the active health check settings
     * @param clock    the time breakers and errors are judged by
     */
    public UpstreamCatalog(List<UpstreamSpec> specs, SelectionStrategy strategy, BreakerPolicy breaker, HealthCheckPolicy health,
                           ClockPort clock) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("at least one upstream is required");
        }
        var names = new HashSet<String>();
        for (UpstreamSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("upstream names must be unique: " + spec.name());
            }
            upstreams.put(spec.name(), new UpstreamRuntime(spec, CircuitBreaker.closed(breaker), HealthState.unknown(health)));
        }
    }

    /** Equal-weight upstreams, round-robin, default breaker and health settings, the system clock. */
    public UpstreamCatalog(List<UpstreamTarget> targets) {
        this(targets.stream().map(UpstreamSpec::of).toList(), SelectionStrategy.ROUND_ROBIN, BreakerPolicy.defaults(),
                HealthCheckPolicy.defaults(), Instant::now);
    }

    /** The upstream for a new session, or empty when none can take one. */
    public Optional<UpstreamTarget> pickForNewSession() {
        Instant now = clock.now();
        List<Candidate> candidates = upstreams.values().stream().map(UpstreamRuntime::candidate).toList();
        return strategy.select(candidates, new SelectionInput(now, turn.getAndIncrement(), ThreadLocalRandom.current().nextDouble()));
    }

    /** The upstream named {@code name}, if it is still configured. */
    public Optional<UpstreamTarget> byName(String name) {
        return Optional.ofNullable(upstreams.get(name)).map(u -> u.spec().target());
    }

    public List<UpstreamTarget> all() {
        return upstreams.values().stream().map(u -> u.spec().target()).toList();
    }

    /**
     * Asks the upstream's breaker whether a request may go now, counting it in flight when it may.
     * Empty when the breaker refuses (the upstream is considered down).
     */
    Optional<Exchange> begin(String name) {
        UpstreamRuntime upstream = upstreams.get(name);
        if (upstream == null) {
            return Optional.of(Exchange.UNTRACKED);
        }
        BreakerDecision decision = upstream.admit(clock.now());
        if (!decision.allowed()) {
            return Optional.empty();
        }
        return Optional.of(outcome -> upstream.finish(outcome, clock.now()));
    }

    /** Records an active probe's verdict. */
    void recordProbe(String name, boolean healthy, String detail) {
        UpstreamRuntime upstream = upstreams.get(name);
        if (upstream != null) {
            upstream.probed(healthy, detail, clock.now());
        }
    }

    @Override
    public List<UpstreamStatus> upstreamStatus() {
        return status();
    }

    /** Every upstream's state, in configuration order. */
    public List<UpstreamStatus> status() {
        return upstreams.values().stream().map(u -> u.status(clock.now())).toList();
    }

    /** One exchange in flight: report how it went, exactly once. */
    @FunctionalInterface
    interface Exchange {
        Exchange UNTRACKED = outcome -> { };

        void finish(ExchangeOutcome outcome);
    }
}
