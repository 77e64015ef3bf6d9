package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.application.port.in.DrainUpstreamUseCase;
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
import io.mcprelay.domain.era.EraVerdict;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.TransportKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The configured upstreams and what is known of each right now: health from active probes, a
 * circuit breaker fed by every exchange, requests in flight, recent errors. Picks the upstream for a
 * new session with the configured strategy among the eligible ones (enabled, not unhealthy, breaker
 * not open); a session then stays on its upstream. Thread-safe.
 *
 * <p>The list can be {@linkplain #replace replaced} while the relay runs (a configuration reload).
 * An upstream that leaves the list is <em>retired</em>, not dropped: it gets no new sessions, but the
 * sessions bound to it keep reaching it until they end; it is forgotten once nothing has used it for
 * as long as an idle session lives ({@link #forgetRetiredIdleFor}). Readers see one consistent list
 * (an immutable snapshot swapped atomically); replacements are serialised.
 *
 * <p>An operator may {@linkplain #setDrained drain} an upstream: it takes no new sessions while its
 * sessions continue. The drain is runtime state kept with the upstream, so a replacement that keeps
 * the upstream (same name and endpoint) keeps the drain, as it keeps breaker and health; a moved
 * upstream starts fresh (undrained); a retired one that comes back is restored drained if it was.
 */
public final class UpstreamCatalog implements UpstreamStatusQuery, DrainUpstreamUseCase {

    /** The upstreams taking new sessions, in configuration order, and the retired ones still serving theirs. */
    private record Lineup(Map<String, UpstreamRuntime> active, Map<String, UpstreamRuntime> retired) {
        Lineup {
            active = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(active));
            retired = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(retired));
        }

        UpstreamRuntime find(String name) {
            UpstreamRuntime upstream = active.get(name);
            return upstream != null ? upstream : retired.get(name);
        }
    }

    /**
     * What a {@link #replace} changed, by upstream name.
     *
     * @param added    new names, now taking sessions
     * @param retired  names no longer configured: no new sessions, their sessions continue
     * @param updated  same name and endpoint, new weight or enabled flag (breaker and health kept)
     * @param moved    same name, new endpoint: a fresh upstream under the old name (its sessions'
     *                 next requests reach the new endpoint, which does not know them, so they re-initialize)
     */
    public record Change(List<String> added, List<String> retired, List<String> updated, List<String> moved) {
        public Change {
            added = List.copyOf(added);
            retired = List.copyOf(retired);
            updated = List.copyOf(updated);
            moved = List.copyOf(moved);
        }

        /** {@code true} if nothing changed. */
        public boolean isEmpty() {
            return added.isEmpty() && retired.isEmpty() && updated.isEmpty() && moved.isEmpty();
        }
    }

    private volatile Lineup lineup;
    private volatile SelectionStrategy strategy;
    private final BreakerPolicy breaker;
    private final HealthCheckPolicy health;
    private final ClockPort clock;
    private final AtomicLong turn = new AtomicLong();
    private final Object replacing = new Object();

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
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.health = Objects.requireNonNull(health, "health");
        requireValid(specs);
        Map<String, UpstreamRuntime> active = new LinkedHashMap<>();
        for (UpstreamSpec spec : specs) {
            active.put(spec.name(), fresh(spec));
        }
        this.lineup = new Lineup(active, Map.of());
    }

    /** Equal-weight upstreams, round-robin, default breaker and health settings, the system clock. */
    public UpstreamCatalog(List<UpstreamTarget> targets) {
        this(targets.stream().map(UpstreamSpec::of).toList(), SelectionStrategy.ROUND_ROBIN, BreakerPolicy.defaults(),
                HealthCheckPolicy.defaults(), Instant::now);
    }

    /**
     * Makes {@code specs} the configured upstreams and {@code newStrategy} the way new sessions are
     * spread. An upstream whose name and endpoint stay keeps its breaker, health, load and errors and
     * takes its new weight and enabled flag; a new one starts unprobed (health unknown, which takes
     * sessions) with a closed breaker; one that left is retired (see the class comment). A retired
     * upstream that comes back with the same endpoint is restored with its state.
     *
     * @throws IllegalArgumentException for an empty list or a repeated name; nothing changes then
     */
    public Change replace(List<UpstreamSpec> specs, SelectionStrategy newStrategy) {
        Objects.requireNonNull(newStrategy, "newStrategy");
        requireValid(specs);
        synchronized (replacing) {
            Lineup old = lineup;
            Map<String, UpstreamRuntime> active = new LinkedHashMap<>();
            Map<String, UpstreamRuntime> retired = new LinkedHashMap<>(old.retired());
            List<String> added = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            List<String> moved = new ArrayList<>();
            for (UpstreamSpec spec : specs) {
                UpstreamRuntime existing = old.find(spec.name());
                retired.remove(spec.name());
                if (existing != null && existing.spec().target().equals(spec.target())) {
                    if (!existing.spec().equals(spec) || old.retired().containsKey(spec.name())) {
                        (old.retired().containsKey(spec.name()) ? added : updated).add(spec.name());
                        existing.respec(spec);
                    }
                    active.put(spec.name(), existing);
                } else {
                    (existing == null ? added : moved).add(spec.name());
                    active.put(spec.name(), fresh(spec));
                }
            }
            List<String> gone = new ArrayList<>();
            for (Map.Entry<String, UpstreamRuntime> upstream : old.active().entrySet()) {
                if (!active.containsKey(upstream.getKey())) {
                    upstream.getValue().respec(upstream.getValue().spec().withEnabled(false));
                    retired.put(upstream.getKey(), upstream.getValue());
                    gone.add(upstream.getKey());
                }
            }
            lineup = new Lineup(active, retired);
            strategy = newStrategy;
            return new Change(added, gone, updated, moved);
        }
    }

    /**
     * Forgets the retired upstreams that have nothing in flight and began or ended no exchange within
     * {@code idle} (a session idle that long has expired); returns their names.
     */
    public List<String> forgetRetiredIdleFor(java.time.Duration idle) {
        synchronized (replacing) {
            Lineup old = lineup;
            Instant now = clock.now();
            List<String> forgotten = old.retired().entrySet().stream()
                    .filter(e -> e.getValue().idleFor(idle, now)).map(Map.Entry::getKey).toList();
            if (!forgotten.isEmpty()) {
                Map<String, UpstreamRuntime> retired = new LinkedHashMap<>(old.retired());
                forgotten.forEach(retired::remove);
                lineup = new Lineup(old.active(), retired);
            }
            return forgotten;
        }
    }

    /** The names of the retired upstreams still serving their sessions. */
    public List<String> retired() {
        return List.copyOf(lineup.retired().keySet());
    }

    /** How new sessions are spread now. */
    public SelectionStrategy strategy() {
        return strategy;
    }

    private UpstreamRuntime fresh(UpstreamSpec spec) {
        return new UpstreamRuntime(spec, CircuitBreaker.closed(breaker), HealthState.unknown(health), clock.now());
    }

    private static void requireValid(List<UpstreamSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("at least one upstream is required");
        }
        var names = new HashSet<String>();
        for (UpstreamSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("upstream names must be unique: " + spec.name());
            }
        }
    }

    /** The upstream for a new session, or empty when none can take one. Retired and drained upstreams take none. */
    public Optional<UpstreamTarget> pickForNewSession() {
        return pickForNewSession(Set.of());
    }

    /**
     * As {@link #pickForNewSession()}, leaving out the upstreams named in {@code tried}: the next one
     * to try when the connection to those could not even be made (so that a new session does not fail
     * while a healthy upstream exists). Empty when none is left.
     */
    public Optional<UpstreamTarget> pickForNewSession(Set<String> tried) {
        Instant now = clock.now();
        List<Candidate> candidates = lineup.active().values().stream()
                .filter(u -> !tried.contains(u.spec().name()) && !u.drained())
                .map(UpstreamRuntime::candidate).toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return strategy.select(candidates, new SelectionInput(now, turn.getAndIncrement(), ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * The upstream for one modern (2026-07-28) request for {@code version}, leaving out those in
     * {@code tried}: chosen among the enabled, undrained HTTP upstreams that serve the modern era
     * (configured {@code modern} or {@code dual}, or probed and listing the version), by the same
     * strategy, health and breakers as new sessions. Each modern request is placed on its own: no
     * stickiness. Empty when none is left.
     */
    public Optional<UpstreamTarget> pickForModern(String version, Set<String> tried) {
        Instant now = clock.now();
        List<Candidate> candidates = lineup.active().values().stream()
                .filter(u -> !tried.contains(u.spec().name()) && !u.drained() && u.spec().target().kind() == TransportKind.HTTP
                        && u.spec().era().servesModern(u.era(), version))
                .map(UpstreamRuntime::candidate).toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return strategy.select(candidates, new SelectionInput(now, turn.getAndIncrement(), ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * The active HTTP upstreams configured {@code auto} whose eras were judged longer than
     * {@code refresh} ago, or never; with {@code unknownOnly}, only those no probe could judge yet
     * (never probed, or every probe failed, the last one longer than {@code refresh} ago).
     */
    List<UpstreamTarget> eraProbesDue(java.time.Duration refresh, boolean unknownOnly) {
        Instant now = clock.now();
        return lineup.active().values().stream()
                .filter(u -> u.spec().target().kind() == TransportKind.HTTP && u.spec().era() == UpstreamEra.AUTO)
                .filter(u -> !unknownOnly || u.era().kind() == EraVerdict.Kind.UNKNOWN)
                .filter(u -> u.eraProbedAt() == null || u.eraProbedAt().plus(refresh).isBefore(now))
                .map(u -> u.spec().target()).toList();
    }

    /** Records what a {@code server/discover} probe of {@code name} said. */
    void recordEra(String name, EraVerdict verdict) {
        UpstreamRuntime upstream = lineup.find(name);
        if (upstream != null) {
            upstream.eraProbed(verdict, clock.now());
        }
    }

    /**
     * Whether upstream {@code name} serves the 2026-07-28 era only (bridge (a) answers a 2025-era client's
     * {@code initialize} for it): configured {@code modern}, or configured {@code auto} and probed, listing no
     * 2025-era version.
     */
    boolean servesOnlyModern(String name) {
        UpstreamRuntime upstream = lineup.find(name);
        return upstream != null && UpstreamEras.servesOnlyModern(upstream);
    }

    /** Whether upstream {@code name} is an HTTP upstream configured {@code auto}, whose eras a probe judges. */
    boolean probedForEra(String name) {
        UpstreamRuntime upstream = lineup.find(name);
        return upstream != null && UpstreamEras.probedForEra(upstream);
    }

    /** What is known of the eras of upstream {@code name}: configured, and probed. */
    public Optional<String> eraOf(String name) {
        return Optional.ofNullable(lineup.find(name)).map(UpstreamEras::describe);
    }

    /**
     * The versions a modern-era {@code -32022} answer lists as supported, oldest first: the modern
     * versions the enabled upstreams are known to serve (those they listed, or mcp-relay's own for an
     * upstream configured {@code modern}/{@code dual}), as the SDK's servers list only those, and as the
     * {@code server/discover} result mcp-relay forwards says; when no upstream serves a modern version,
     * the 2025-era ones, so that a dual-era client falls back to {@code initialize}.
     */
    public List<String> versionsServed() {
        return UpstreamEras.versionsServed(lineup.active().values());
    }

    @Override
    public boolean setDrained(String name, boolean drained) {
        UpstreamRuntime upstream = lineup.find(Objects.requireNonNull(name, "name"));
        if (upstream == null) {
            return false;
        }
        upstream.drain(drained);
        return true;
    }

    /** The upstream named {@code name}, if it is configured or retired but still serving its sessions. */
    public Optional<UpstreamTarget> byName(String name) {
        return Optional.ofNullable(lineup.find(name)).map(u -> u.spec().target());
    }

    /** The configured upstreams (not the retired ones), in configuration order. */
    public List<UpstreamTarget> all() {
        return lineup.active().values().stream().map(u -> u.spec().target()).toList();
    }

    /**
     * Asks the upstream's breaker whether a request may go now, counting it in flight when it may.
     * Empty when the breaker refuses (the upstream is considered down).
     */
    Optional<Exchange> begin(String name) {
        UpstreamRuntime upstream = lineup.find(name);
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
        UpstreamRuntime upstream = lineup.find(name);
        if (upstream != null) {
            upstream.probed(healthy, detail, clock.now());
        }
    }

    @Override
    public List<UpstreamStatus> upstreamStatus() {
        return status();
    }

    /** Every upstream's state, in configuration order, then the retired ones (shown disabled). */
    public List<UpstreamStatus> status() {
        Lineup now = lineup;
        Instant at = clock.now();
        List<UpstreamStatus> all = new ArrayList<>(now.active().values().stream().map(u -> u.status(at)).toList());
        now.retired().values().forEach(u -> all.add(u.status(at)));
        return List.copyOf(all);
    }

    /** One exchange in flight: report how it went, exactly once. */
    @FunctionalInterface
    interface Exchange {
        Exchange UNTRACKED = outcome -> { };

        void finish(ExchangeOutcome outcome);
    }
}
