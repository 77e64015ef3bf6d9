package io.mcprelay.application.service;

import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.application.port.out.UpstreamRequest;
import io.mcprelay.application.port.out.UpstreamResponse;
import io.mcprelay.domain.routing.ExchangeOutcome;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The upstream port as the use cases see it: every exchange passes the upstream's circuit breaker
 * first (an open breaker answers at once as an unreachable upstream, so sessions on it are dropped
 * and their clients re-initialize elsewhere), is counted in flight until its answer (or its event
 * stream) is done, and feeds its outcome back to the breaker (passive health).
 */
public final class GuardedUpstream implements UpstreamPort {

    private final UpstreamPort delegate;
    private final UpstreamCatalog upstreams;

    public GuardedUpstream(UpstreamPort delegate, UpstreamCatalog upstreams) {
        this.delegate = delegate;
        this.upstreams = upstreams;
    }

    @Override
    public UpstreamResponse exchange(UpstreamRequest request) {
        Optional<UpstreamCatalog.Exchange> admitted = upstreams.begin(request.target().name());
        if (admitted.isEmpty()) {
            return new UpstreamResponse.Unreachable(UpstreamResponse.Unreachable.Cause.CONNECT,
                    "circuit open for upstream " + request.target().name());
        }
        UpstreamCatalog.Exchange exchange = admitted.get();
        // Whatever happens from here, the exchange is finished once (its breaker trial and in-flight
        // count released), unless an event stream takes it over: an exception that skipped this once
        // left a half-open breaker waiting for its trial forever, refusing every later request.
        ExchangeOutcome outcome = ExchangeOutcome.CONNECT_FAILURE;
        boolean handedOver = false;
        try {
            UpstreamResponse response = delegate.exchange(request);
            outcome = ExchangeOutcome.SERVER_ERROR;
            outcome = outcomeOf(response);
            if (response instanceof UpstreamResponse.EventStream stream) {
                UpstreamResponse tracked = new UpstreamResponse.EventStream(stream.status(), stream.headers(),
                        new Tracked(stream.events(), exchange, outcome));
                handedOver = true;
                return tracked;
            }
            return response;
        } finally {
            if (!handedOver) {
                exchange.finish(outcome);
            }
        }
    }

    static ExchangeOutcome outcomeOf(UpstreamResponse response) {
        return switch (response) {
            case UpstreamResponse.Unreachable u -> switch (u.cause()) {
                case CONNECT -> ExchangeOutcome.CONNECT_FAILURE;
                case DROPPED -> ExchangeOutcome.SERVER_ERROR;
                case TIMEOUT -> ExchangeOutcome.TIMEOUT;
                case PROTOCOL -> ExchangeOutcome.SERVER_ERROR;
                case SATURATED -> ExchangeOutcome.SUCCESS;
            };
            case UpstreamResponse.Failed failed -> ExchangeOutcome.ofStatus(failed.status());
            default -> ExchangeOutcome.SUCCESS;
        };
    }

    /** An event stream that stays in flight until it is closed. */
    private static final class Tracked implements UpstreamPort.EventSource {
        private final UpstreamPort.EventSource events;
        private final UpstreamCatalog.Exchange exchange;
        private final ExchangeOutcome outcome;
        private final AtomicBoolean finished = new AtomicBoolean();

        Tracked(UpstreamPort.EventSource events, UpstreamCatalog.Exchange exchange, ExchangeOutcome outcome) {
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
