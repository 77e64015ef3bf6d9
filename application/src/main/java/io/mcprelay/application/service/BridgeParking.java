package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ParkedQuestions;
import io.mcprelay.domain.bridge.RequestStateSealer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Bridge (b)'s parked calls: a 2025-era upstream asked the client something in the middle of a call, the modern client
 * got an {@code input_required} result, and the upstream's stream and session wait here for the client's retry. A
 * parked stream lives in this JVM only: the {@code requestState} token ({@link RequestStateSealer}) names this
 * instance, binds the principal, an expiry and the call's digest, and names the parked call, which a retry
 * {@link #claim claims} once (a second use of the token finds nothing). Bounded in all and per principal; a call not
 * claimed before its expiry is handed to {@code onExpiry} (which cancels it upstream and ends its session); at this
 * instance's stop, every parked call is taken out at once ({@link #stop}).
 */
final class BridgeParking {

    private static final System.Logger LOG = System.getLogger(BridgeParking.class.getName());
    /** How long after a parked call's expiry its sweep runs (the timer and the clock need not agree to the millisecond). */
    static final Duration SWEEP_MARGIN = Duration.ofMillis(250);

    /** What is parked: the upstream session and stream, and the questions behind the client's keys. */
    record Call(BridgePool.Pooled session, UpstreamReply.Events events, JsonValue upstreamId, Map<String, ParkedQuestions.Question> questions,
                Map<String, JsonValue> upstreamIdsByKey) {
        Call {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(upstreamId, "upstreamId");
            questions = Map.copyOf(questions);
            upstreamIdsByKey = Map.copyOf(upstreamIdsByKey);
        }
    }

    /** A parked call under its id, for {@code principal}, until {@code expiresAt}. */
    record Parked(String id, String principal, Instant expiresAt, Call call) {
    }

    /** The outcome of {@link #park}. */
    sealed interface Parking {
        /** Parked: {@code token} is the {@code requestState} for the client. */
        record Held(Parked parked, String token) implements Parking {
        }

        /** Not parked: a bound is reached. */
        record Full(String why) implements Parking {
        }
    }

    /** The outcome of {@link #claim}. */
    sealed interface Claim {
        /** The parked call, now the caller's (no other retry finds it). */
        record Found(Parked parked) implements Claim {
        }

        /** Why the retry's {@code requestState} is refused, worded for the client. */
        record Refused(String message) implements Claim {
        }
    }

    private final RequestStateSealer sealer;
    private final ClockPort clock;
    private final Duration timeout;
    private final int max;
    private final int maxPerPrincipal;
    private final Consumer<Parked> onExpiry;
    private final BiConsumer<Runnable, Duration> schedule;
    private final RelayMetricsPort metrics;
    private final Map<String, Parked> parked = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Set by {@link #stop}: nothing is parked any more. */
    private boolean stopped;

    /**
     * @param timeout         how long a parked call waits for its retry (the token's lifetime)
     * @param max             parked calls at most on this instance
     * @param maxPerPrincipal parked calls at most per principal (clients without one share the empty principal)
     * @param onExpiry        given each call that was not claimed in time, once, off the caller's lock
     * @param schedule        runs a task after a delay (a {@link #sweep} once a parked call's time is up)
     */
    BridgeParking(RequestStateSealer sealer, ClockPort clock, Duration timeout, int max, int maxPerPrincipal, Consumer<Parked> onExpiry,
                  BiConsumer<Runnable, Duration> schedule, RelayMetricsPort metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.onExpiry = Objects.requireNonNull(onExpiry, "onExpiry");
        if (max < 1 || maxPerPrincipal < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the bridge's parking bounds and timeout must be positive");
        }
        this.max = max;
        this.maxPerPrincipal = maxPerPrincipal;
    }

    /** Parks {@code call} for {@code principal}, the call being {@code method} with {@code params} (the token binds their digest). */
    Parking park(String principal, String method, JsonValue.Obj params, Call call) {
        sweep();
        Instant expiresAt = clock.now().plus(timeout);
        Parked entry;
        synchronized (this) {
            if (stopped) {
                return new Parking.Full("this mcp-relay instance is stopping");
            }
            if (parked.size() >= max) {
                return new Parking.Full("mcp-relay already holds " + max + " calls waiting for their clients' answers");
            }
            if (parked.values().stream().filter(p -> p.principal().equals(principal)).count() >= maxPerPrincipal) {
                return new Parking.Full("this principal already has " + maxPerPrincipal + " calls waiting for its answers");
            }
            entry = new Parked("p" + ids.incrementAndGet(), principal, expiresAt, call);
            parked.put(entry.id(), entry);
        }
        metrics.bridgeCallParked();
        schedule.accept(this::sweep, timeout.plus(SWEEP_MARGIN));
        return new Parking.Held(entry, sealer.seal(principal, expiresAt, method, params, entry.id()));
    }

    /** The call a retry's {@code token} names, taken out (one use), or why the token is refused. */
    Claim claim(String token, String principal, String method, JsonValue.Obj params) {
        sweep();
        return switch (sealer.verify(token, principal, clock.now(), method, params)) {
            case RequestStateSealer.Verification.Valid valid -> {
                Parked found = take(valid.claims().parkId(), "retried");
                yield found == null ? new Claim.Refused("Invalid params: this requestState was used already (a requestState is good"
                        + " for one retry) or its call has ended; send the call again without it") : new Claim.Found(found);
            }
            case RequestStateSealer.Verification.OtherInstance other -> new Claim.Refused(otherInstance(other.claims().instanceId()));
            case RequestStateSealer.Verification.Rejected rejected -> {
                String elsewhere = RequestStateSealer.claimedInstance(token).filter(i -> !i.equals(sealer.instanceId())).orElse(null);
                yield new Claim.Refused(elsewhere != null ? otherInstance(elsewhere) : "Invalid params: " + rejected.reason());
            }
        };
    }

    /** Takes the parked call {@code id} back (its client left before it learnt of it); null if it is not parked any more. */
    Parked abandon(String id) {
        return take(id, "abandoned");
    }

    private Parked take(String id, String outcome) {
        Parked taken;
        synchronized (this) {
            taken = parked.remove(id);
        }
        if (taken != null) {
            metrics.bridgeCallUnparked(outcome);
        }
        return taken;
    }

    /**
     * Takes every parked call out and parks no more (this instance stops): the caller ends them upstream, and a
     * retry naming one gets the refusal of a call that has ended.
     */
    List<Parked> stop() {
        List<Parked> all;
        synchronized (this) {
            stopped = true;
            all = List.copyOf(parked.values());
            parked.clear();
        }
        all.forEach(p -> metrics.bridgeCallUnparked("stopped"));
        return all;
    }

    /** Calls parked now. */
    synchronized int size() {
        return parked.size();
    }

    /** Hands every parked call whose time is up to {@code onExpiry}. */
    void sweep() {
        Instant now = clock.now();
        List<Parked> due = new ArrayList<>();
        synchronized (this) {
            parked.values().removeIf(p -> {
                boolean over = !now.isBefore(p.expiresAt());
                if (over) {
                    due.add(p);
                }
                return over;
            });
        }
        for (Parked p : due) {
            LOG.log(System.Logger.Level.INFO, "bridge: parked call {0} of upstream {1} was not retried within {2}; cancelled upstream",
                    p.id(), p.call().session().target().name(), timeout);
            metrics.bridgeCallUnparked("expired");
            onExpiry.accept(p);
        }
    }

    Duration timeout() {
        return timeout;
    }

    private String otherInstance(String instance) {
        return "Invalid params: this requestState belongs to a call parked on mcp-relay instance " + instance + ", not on this one ("
                + sealer.instanceId() + "); a retry must reach the instance that answered input_required (route the client's"
                + " requests to one instance), and a restarted instance has lost its parked calls";
    }
}
