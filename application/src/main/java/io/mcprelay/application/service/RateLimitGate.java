package io.mcprelay.application.service;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.RateLimitPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.limit.Caller;
import io.mcprelay.domain.limit.Charge;
import io.mcprelay.domain.limit.LimitKind;
import io.mcprelay.domain.limit.OutagePolicy;
import io.mcprelay.domain.limit.RateLimits;
import io.mcprelay.domain.limit.TokenGrant;
import io.mcprelay.domain.session.Session;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rate limits a message in a session passes before it goes upstream ({@link RateLimits} says which
 * buckets it draws from; {@link RateLimitPort} holds them). Called from one place,
 * {@code RelayService}, after the session is known and before the request takes one of the session's
 * in-flight slots; GET streams and streams already open are never limited by it.
 *
 * <p><b>Store outages.</b> When the port cannot reach its store, the configured {@link OutagePolicy}
 * decides: open lets the message through, closed refuses it with 503 (the store is unavailable, as
 * for the session store). Either way the failure is counted ({@link RelayMetricsPort#limitCheckFailed}),
 * and logged once when the store goes away and once when it is back, not once per request.
 */
public final class RateLimitGate {

    private static final System.Logger LOG = System.getLogger(RateLimitGate.class.getName());

    private volatile RateLimits limits;
    private final RateLimitPort buckets;
    private final RelayMetricsPort metrics;
    private final AtomicBoolean storeDown = new AtomicBoolean();

    public RateLimitGate(RateLimits limits, RateLimitPort buckets, RelayMetricsPort metrics) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.buckets = Objects.requireNonNull(buckets, "buckets");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * No rate limits: every message passes without a store being asked; refusals by the session's
     * in-flight share are still counted in {@code metrics}.
     */
    public static RateLimitGate withoutLimits(RelayMetricsPort metrics) {
        return new RateLimitGate(RateLimits.OFF, (bucket, limit, tokens) -> TokenGrant.GRANTED, metrics);
    }

    /** The limits this gate enforces. */
    public RateLimits limits() {
        return limits;
    }

    /**
     * Enforces {@code next} from the next request on (a configuration reload). A limit that changed
     * starts new buckets, as the stores key each bucket by its limit too; an unchanged one keeps its
     * tokens. Requests already admitted are not affected.
     */
    public void replace(RateLimits next) {
        this.limits = Objects.requireNonNull(next, "next");
    }

    /**
     * Who the per-principal limit counts for {@code command} in {@code session}: the one place that
     * decides it: the authenticated principal when clients authenticate (docs/auth.md; the session
     * gate has already checked that the session is its own, so every instance counts it alike), the
     * session otherwise.
     */
    static Caller callerOf(RelayMessageCommand command, Session session) {
        return command.principal().map(principal -> Caller.ofPrincipal(principal.subject())).orElseGet(() -> Caller.ofSession(session.id()));
    }

    /**
     * Takes the tokens {@code payload} costs from each of its buckets, in order; the refusal of the
     * first bucket that is empty (naming its limit, answering the payload's request id), or empty
     * when the payload may go on.
     */
    Optional<Rejection> admit(Caller caller, JsonRpcPayload payload) {
        if (limits.isOff()) {
            return Optional.empty();
        }
        List<Charge> charges = limits.charges(caller, payload);
        for (Charge charge : charges) {
            TokenGrant grant;
            try {
                grant = buckets.take(charge.bucket(), charge.limit(), charge.tokens());
            } catch (StoreUnavailableException e) {
                return storeUnavailable(e, payload);
            }
            storeBack();
            if (grant instanceof TokenGrant.Denied denied) {
                metrics.requestLimited(charge.kind().label(), caller.kind().label());
                return Optional.of(UpstreamAnswers.forPayload(payload, charge.refusal(denied)));
            }
        }
        return Optional.empty();
    }

    /** Counts a refusal by the session's in-flight share, which {@code RelayService} enforces, as a limit like the others. */
    void countBusy(Caller caller) {
        metrics.requestLimited(LimitKind.SESSION_MAX_REQUESTS.label(), caller.kind().label());
    }

    private Optional<Rejection> storeUnavailable(StoreUnavailableException e, JsonRpcPayload payload) {
        OutagePolicy policy = limits.onOutage();
        metrics.limitCheckFailed(policy.name().toLowerCase(Locale.ROOT));
        if (storeDown.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "rate limits cannot be checked, the limit store is unavailable; requests are {0} until it"
                    + " is back: {1}", policy == OutagePolicy.OPEN ? "let through (fail open)" : "refused (fail closed)", e.getMessage());
        }
        if (policy == OutagePolicy.OPEN) {
            return Optional.empty();
        }
        return Optional.of(UpstreamAnswers.forPayload(payload, Rejection.of(RejectionReason.STORE_UNAVAILABLE,
                "Service Unavailable: rate limits cannot be checked (the limit store cannot be reached)")));
    }

    private void storeBack() {
        if (storeDown.get() && storeDown.compareAndSet(true, false)) {
            LOG.log(System.Logger.Level.INFO, "rate limits are checked again: the limit store is back");
        }
    }
}
