package io.mcprelay.adapter.http.metrics;

import io.mcprelay.adapter.http.in.RequestRecord;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.application.port.out.UpstreamRequest;
import io.mcprelay.application.port.out.UpstreamResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The upstream port, measured per upstream: every exchange is counted by its outcome and timed to
 * its answer's head (for an event stream, its opening; a stream's length is the client's business,
 * not the upstream's latency), and its upstream is noted in the request's access-log record.
 * Outcomes: {@code ok}, {@code client_error} (the upstream answered 4xx), and the upstream faults
 * {@code server_error} (5xx), {@code unreachable}, {@code dropped}, {@code timeout}, {@code protocol},
 * {@code saturated} (also when its circuit is open: nothing was sent).
 */
public final class MeteredUpstream implements UpstreamPort {

    private final UpstreamPort delegate;
    private final MicrometerMetricsAdapter metrics;

    public MeteredUpstream(UpstreamPort delegate, MicrometerMetricsAdapter metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public UpstreamResponse exchange(UpstreamRequest request) {
        String upstream = request.target().name();
        RequestRecord.noteUpstream(upstream);
        long started = System.nanoTime();
        String outcome = "unreachable";
        try {
            UpstreamResponse response = delegate.exchange(request);
            outcome = outcomeOf(response);
            return response;
        } finally {
            metrics.upstreamExchange(upstream, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    static String outcomeOf(UpstreamResponse response) {
        return switch (response) {
            case UpstreamResponse.Unreachable u -> switch (u.cause()) {
                case CONNECT -> "unreachable";
                case DROPPED -> "dropped";
                case TIMEOUT -> "timeout";
                case PROTOCOL -> "protocol";
                case SATURATED -> "saturated";
            };
            case UpstreamResponse.Failed failed -> failed.status() >= 500 ? "server_error" : "client_error";
            default -> "ok";
        };
    }
}
