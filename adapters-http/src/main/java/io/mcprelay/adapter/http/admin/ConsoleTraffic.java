package io.mcprelay.adapter.http.admin;

import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.in.RelayMessageUseCase;
import io.mcprelay.adapter.http.HttpEcho;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.stream.SseEvent;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the admin console knows of the traffic beyond the metrics: each POSTed message with its time,
 * method, answer and latency (per session, {@link SessionTraffic}) and per second with errors by kind
 * and latency percentiles ({@link TrafficWindow}). It sees the traffic by wrapping the relay use case
 * ({@link #recording}), which the composition root hands to the MCP endpoint instead of the bare one;
 * nothing in the relay knows of it.
 *
 * <p>The open streams come from whatever counts them ({@link LiveView}, the metrics); they are sampled
 * after each message and whenever the console reads the charts, and each second keeps the highest.
 *
 * <p>Recording costs one streaming glance at each message's top-level fields and a few counters
 * under short locks; it never blocks the message and never changes what the client gets.
 */
public final class ConsoleTraffic {

    /** The refusals that are the relay's or an upstream's fault rather than the client's. */
    private static final Set<RejectionReason> UPSTREAM_FAULTS = EnumSet.of(RejectionReason.NO_UPSTREAM_AVAILABLE,
            RejectionReason.UPSTREAM_UNREACHABLE, RejectionReason.UPSTREAM_TIMEOUT, RejectionReason.UPSTREAM_SATURATED,
            RejectionReason.UPSTREAM_FAILED, RejectionReason.STORE_UNAVAILABLE, RejectionReason.UPSTREAM_CREDENTIALS_UNAVAILABLE,
            RejectionReason.UPSTREAM_CREDENTIALS_REFUSED);

    private final Supplier<Instant> clock;
    private final LiveView live;
    private final TrafficWindow window;
    private final SessionTraffic sessions = new SessionTraffic();

    /** @param live counts the streams open towards clients */
    public ConsoleTraffic(LiveView live) {
        this(live, Instant::now);
    }

    ConsoleTraffic(LiveView live, Supplier<Instant> clock) {
        this.live = Objects.requireNonNull(live, "live");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = new TrafficWindow(clock);
    }

    /** Streams open towards clients now (and noted in the current second of the window). */
    int openStreams() {
        int open = live.openStreams();
        window.sampleOpenStreams(open);
        return open;
    }

    /** {@code relay}, recording every message it answers here. */
    public RelayMessageUseCase recording(RelayMessageUseCase relay) {
        Objects.requireNonNull(relay, "relay");
        return (command, downstream) -> {
            Instant start = clock.get();
            long started = System.nanoTime();
            RpcGlance glance = RpcGlance.of(command.body());
            Recorder recorder = new Recorder(downstream, command.sessionId(), started);
            try {
                relay.relay(command, recorder);
            } finally {
                Duration latency = Duration.ofNanos(System.nanoTime() - started);
                window.record(recorder.result, latency);
                openStreams();
                recorder.session().ifPresent(session -> sessions.record(session, new SessionTraffic.Message(start,
                        SessionTraffic.Direction.CLIENT_TO_UPSTREAM, glance.method(), glance.id(), Optional.of(recorder.answer),
                        Optional.of(latency.toMillis()))));
            }
        };
    }

    TrafficWindow window() {
        return window;
    }

    SessionTraffic sessions() {
        return sessions;
    }

    /** Passes every answer on unchanged, noting how the message was answered and which session it was of. */
    private final class Recorder implements DownstreamPort {
        private final DownstreamPort downstream;
        private final long started;
        private Optional<String> session;
        private volatile String answer = "unanswered";
        private volatile TrafficWindow.Result result = TrafficWindow.Result.UPSTREAM_FAULT;

        Recorder(DownstreamPort downstream, Optional<String> session, long started) {
            this.downstream = downstream;
            this.session = session;
            this.started = started;
        }

        synchronized Optional<String> session() {
            return session;
        }

        /** The status an HTTP upstream gave, which the client gets too; {@code otherwise} when the transport echoed none. */
        private static int echoedStatus(Head head, int otherwise) {
            return head.echo() instanceof HttpEcho echo ? echo.status() : otherwise;
        }

        private void answered(int status, Head head) {
            answer = Integer.toString(status);
            result = status >= 500 ? TrafficWindow.Result.UPSTREAM_FAULT
                    : status >= 400 ? TrafficWindow.Result.CLIENT_ERROR : TrafficWindow.Result.OK;
            synchronized (this) {
                if (session.isEmpty()) {
                    session = head.sessionId().map(id -> id.value());
                }
            }
        }

        @Override
        public void reject(Rejection rejection) {
            answer = rejection.reason().name().toLowerCase(java.util.Locale.ROOT);
            result = UPSTREAM_FAULTS.contains(rejection.reason()) ? TrafficWindow.Result.UPSTREAM_FAULT : TrafficWindow.Result.CLIENT_ERROR;
            downstream.reject(rejection);
        }

        @Override
        public void accepted(Head head) {
            answered(202, head);
            downstream.accepted(head);
        }

        @Override
        public void ended(Head head) {
            answered(echoedStatus(head, 200), head);
            downstream.ended(head);
        }

        @Override
        public void answer(Head head, byte[] message) {
            answered(echoedStatus(head, 200), head);
            downstream.answer(head, message);
        }

        @Override
        public void refused(Head head, byte[] error, boolean upstreamFault) {
            // a refusal with nothing echoed (a transport without statuses) is the upstream's judgement on the request
            answered(echoedStatus(head, upstreamFault ? 502 : 400), head);
            downstream.refused(head, error, upstreamFault);
        }

        @Override
        public void passthrough(Head head, String mediaType, InputStream body) {
            answered(echoedStatus(head, 200), head);
            downstream.passthrough(head, mediaType, body);
        }

        @Override
        public Stream openEventStream(Head head) {
            answered(200, head);
            answer = "200 SSE";
            Stream stream = downstream.openEventStream(head);
            return new Stream() {
                @Override
                public boolean emit(SseEvent event) {
                    session().ifPresent(s -> {
                        RpcGlance glance = RpcGlance.of(event.data());
                        sessions.record(s, new SessionTraffic.Message(clock.get(), SessionTraffic.Direction.UPSTREAM_TO_CLIENT,
                                glance.method(), glance.id(), Optional.empty(),
                                Optional.of(Duration.ofNanos(System.nanoTime() - started).toMillis())));
                    });
                    return stream.emit(event);
                }

                @Override
                public boolean comment(String text) {
                    return stream.comment(text);
                }

                @Override
                public void close() {
                    stream.close();
                }
            };
        }
    }
}
