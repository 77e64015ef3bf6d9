package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.routing.ExchangeOutcome;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The upstream port as the use cases see it: every call passes the upstream's circuit breaker
 * first (an open breaker answers at once as an unreachable upstream, so sessions on it are dropped
 * and their clients re-initialize elsewhere), is counted in flight until its reply (or its stream
 * of events) is done, and feeds its outcome back to the breaker (passive health).
 */
public final class GuardedUpstream implements UpstreamPort {

    private final UpstreamPort delegate;
    private final UpstreamCatalog upstreams;

    public GuardedUpstream(UpstreamPort delegate, UpstreamCatalog upstreams) {
        this.delegate = delegate;
        this.upstreams = upstreams;
    }

    @Override
    public UpstreamReply send(UpstreamCall call) {
        return guarded(call.session(), () -> delegate.send(call));
    }

    @Override
    public UpstreamReply listen(UpstreamSession session) {
        return guarded(session, () -> delegate.listen(session));
    }

    @Override
    public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
        return guarded(session, () -> delegate.resume(session, cursor, budget));
    }

    @Override
    public UpstreamReply end(UpstreamSession session) {
        return guarded(session, () -> delegate.end(session));
    }

    private UpstreamReply guarded(UpstreamSession session, Supplier<UpstreamReply> call) {
        String name = session.target().name();
        Optional<UpstreamCatalog.Exchange> admitted = upstreams.begin(name);
        if (admitted.isEmpty()) {
            return new UpstreamReply.Unreachable(UpstreamReply.Unreachable.Cause.CONNECT, "circuit open for upstream " + name);
        }
        UpstreamCatalog.Exchange exchange = admitted.get();
        // Whatever happens from here, the exchange is finished once (its breaker trial and in-flight
        // count released), unless a stream of events takes it over: an exception that skipped this once
        // left a half-open breaker waiting for its trial forever, refusing every later request.
        ExchangeOutcome outcome = ExchangeOutcome.CONNECT_FAILURE;
        boolean handedOver = false;
        try {
            UpstreamReply reply = call.get();
            outcome = ExchangeOutcome.SERVER_ERROR;
            outcome = outcomeOf(reply);
            if (reply instanceof UpstreamReply.Events events) {
                UpstreamReply tracked = new UpstreamReply.Events(new Tracked(events.events(), exchange, outcome), events.session(),
                        events.echo());
                handedOver = true;
                return tracked;
            }
            return reply;
        } finally {
            if (!handedOver) {
                exchange.finish(outcome);
            }
        }
    }

    /**
     * What a reply says about the upstream's health: unreachable, timed out, broken and failing
     * upstreams count against it; refusals that judge the request, a session it no longer has and a
     * stream it does not offer are answers, as are a full pool's (the relay's own limit).
     */
    static ExchangeOutcome outcomeOf(UpstreamReply reply) {
        return switch (reply) {
            case UpstreamReply.Unreachable u -> switch (u.cause()) {
                case CONNECT -> ExchangeOutcome.CONNECT_FAILURE;
                case DROPPED -> ExchangeOutcome.SERVER_ERROR;
                case TIMEOUT -> ExchangeOutcome.TIMEOUT;
                case PROTOCOL -> ExchangeOutcome.SERVER_ERROR;
                case SATURATED -> ExchangeOutcome.SUCCESS;
                // nothing was sent: the token endpoint failed, not the upstream
                case CREDENTIALS_UNAVAILABLE, CREDENTIALS_REFUSED -> ExchangeOutcome.SUCCESS;
            };
            case UpstreamReply.Refused refused -> refused.upstreamFault() ? ExchangeOutcome.SERVER_ERROR : ExchangeOutcome.CLIENT_ERROR;
            case UpstreamReply.SessionGone gone -> ExchangeOutcome.CLIENT_ERROR;
            case UpstreamReply.NoStream none -> ExchangeOutcome.CLIENT_ERROR;
            case UpstreamReply.Answer answer -> ExchangeOutcome.SUCCESS;
            case UpstreamReply.Events events -> ExchangeOutcome.SUCCESS;
            case UpstreamReply.Accepted accepted -> ExchangeOutcome.SUCCESS;
            case UpstreamReply.Other other -> ExchangeOutcome.SUCCESS;
        };
    }

    /** A stream of events that stays in flight until it is closed. */
    private static final class Tracked implements UpstreamEvents {
        private final UpstreamEvents events;
        private final UpstreamCatalog.Exchange exchange;
        private final ExchangeOutcome outcome;
        private final AtomicBoolean finished = new AtomicBoolean();

        Tracked(UpstreamEvents events, UpstreamCatalog.Exchange exchange, ExchangeOutcome outcome) {
            this.events = events;
            this.exchange = exchange;
            this.outcome = outcome;
        }

        @Override
        public Read next() {
            return events.next();
        }

        @Override
        public void close() {
            try {
                events.close();
            } finally {
                if (finished.compareAndSet(false, true)) {
                    exchange.finish(outcome);
                }
            }
        }
    }
}
