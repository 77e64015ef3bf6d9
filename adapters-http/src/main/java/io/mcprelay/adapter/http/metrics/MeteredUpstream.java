package io.mcprelay.adapter.http.metrics;

import io.mcprelay.adapter.http.in.RequestRecord;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The upstream port, measured per upstream, whatever its transport: every call is counted by its
 * outcome and timed to its reply (for a stream of events, its opening; a stream's length is the
 * client's business, not the upstream's latency), and its upstream is noted in the request's
 * access-log record. Outcomes: {@code ok}, {@code client_error} (the upstream judged the request:
 * refused it, no longer has its session, offers no stream), and the upstream faults
 * {@code server_error} (it failed and said so), {@code unreachable}, {@code dropped}, {@code timeout},
 * {@code protocol}, {@code saturated} (also when its circuit is open: nothing was sent), and
 * {@code credentials_unavailable} / {@code credentials_refused} (mcp-relay's own credentials for the
 * upstream could not be had from its token endpoint: nothing was sent).
 */
public final class MeteredUpstream implements UpstreamPort {

    private final UpstreamPort delegate;
    private final MicrometerMetricsAdapter metrics;

    public MeteredUpstream(UpstreamPort delegate, MicrometerMetricsAdapter metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public UpstreamReply send(UpstreamCall call) {
        return measured(call.session(), () -> delegate.send(call));
    }

    @Override
    public UpstreamReply listen(UpstreamSession session) {
        return measured(session, () -> delegate.listen(session));
    }

    @Override
    public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
        return measured(session, () -> delegate.resume(session, cursor, budget));
    }

    @Override
    public UpstreamReply end(UpstreamSession session) {
        return measured(session, () -> delegate.end(session));
    }

    private UpstreamReply measured(UpstreamSession session, Supplier<UpstreamReply> call) {
        String upstream = session.target().name();
        RequestRecord.noteUpstream(upstream);
        long started = System.nanoTime();
        String outcome = "unreachable";
        try {
            UpstreamReply reply = call.get();
            outcome = outcomeOf(reply);
            return reply;
        } finally {
            metrics.upstreamExchange(upstream, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    static String outcomeOf(UpstreamReply reply) {
        return switch (reply) {
            case UpstreamReply.Unreachable u -> switch (u.cause()) {
                case CONNECT -> "unreachable";
                case DROPPED -> "dropped";
                case TIMEOUT -> "timeout";
                case PROTOCOL -> "protocol";
                case SATURATED -> "saturated";
                case CREDENTIALS_UNAVAILABLE -> "credentials_unavailable";
                case CREDENTIALS_REFUSED -> "credentials_refused";
            };
            case UpstreamReply.Refused refused -> refused.upstreamFault() ? "server_error" : "client_error";
            case UpstreamReply.SessionGone gone -> "client_error";
            case UpstreamReply.NoStream none -> "client_error";
            case UpstreamReply.Answer answer -> "ok";
            case UpstreamReply.Events events -> "ok";
            case UpstreamReply.Accepted accepted -> "ok";
            case UpstreamReply.Other other -> "ok";
        };
    }
}
