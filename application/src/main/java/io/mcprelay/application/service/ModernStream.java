package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Relays the event stream answering one 2026-07-28 (modern) request, event by event: no event ids,
 * no replay log, no re-attachment (the modern era removed resumption: a broken stream loses the
 * request, and the client re-issues it with a new id). Each event goes through the interceptors,
 * then is written and flushed; the stream is done once its request is answered.
 *
 * <p>The client closing its stream is the cancellation: the upstream request is closed at once,
 * with no disconnect grace. A write that fails closes it there and then; while the upstream is
 * silent, the supervisor's heartbeats (SSE comments) find a client that left, and the supervisor
 * releases the upstream at once ({@link #owesNothing()}), which is also what keeps a long-lived
 * {@code subscriptions/listen} stream's client connection alive through intermediaries.
 */
final class ModernStream extends UnloggedStream {

    private static final System.Logger LOG = System.getLogger(ModernStream.class.getName());

    private final UpstreamEvents source;
    private final RequestId request;
    private final Exchange exchange;
    private final InterceptionService interception;
    private final MessageCodecPort codec;
    private final RelayMetricsPort metrics;
    private final ClockPort clock;
    private volatile boolean released;

    ModernStream(UpstreamEvents source, DownstreamPort.Stream out, RequestId request, Exchange exchange, InterceptionService interception,
                 MessageCodecPort codec, RelayMetricsPort metrics, ClockPort clock) {
        super(out);
        this.clock = clock;
        this.source = source;
        this.request = request;
        this.exchange = exchange;
        this.interception = interception;
        this.codec = codec;
        this.metrics = metrics;
    }

    /** Relays until the request is answered, the upstream ends or breaks, or the client leaves. */
    void run(Instant requestedAt) {
        boolean first = true;
        while (!released) {
            switch (source.next()) {
                case UpstreamEvents.Read.Event e -> {
                    SseEvent event = e.event().toSseEvent();
                    if (event.data().isEmpty()) {
                        continue; // an upstream priming event: there is nothing to resume in this era
                    }
                    boolean answers = event.isMessage() && StreamAnswers.answeredBy(codec, event.data()).contains(request);
                    Optional<String> data = intercepted(event);
                    if (data.isPresent() && !write(new SseEvent(Optional.empty(), event.event(), data.get(), Optional.empty()))) {
                        LOG.log(System.Logger.Level.DEBUG, "modern request {0}: the client closed its stream; closing the upstream request",
                                request);
                        releaseUpstream();
                        return;
                    }
                    metrics.eventRelayed();
                    if (first) {
                        metrics.firstEvent(Duration.between(requestedAt, clock.now()));
                        first = false;
                    }
                    if (answers) {
                        return;
                    }
                }
                case UpstreamEvents.Read.End end -> {
                    unanswered("the upstream ended the stream before answering");
                    return;
                }
                case UpstreamEvents.Read.Broken broken -> {
                    if (!released) {
                        LOG.log(System.Logger.Level.WARNING, "modern request {0}: upstream stream broke: {1}", request, broken.reason());
                        unanswered("the upstream stream broke before answering: " + broken.reason());
                    }
                    return;
                }
            }
        }
    }

    /** Writes the interceptors' answers to the request before any upstream event. */
    void deliverAnsweredHere(java.util.List<String> answers) {
        for (String answer : answers) {
            write(new SseEvent(Optional.empty(), Optional.empty(), answer, Optional.empty()));
        }
    }

    private Optional<String> intercepted(SseEvent event) {
        if (!exchange.intercepted() || !event.isMessage() || !interception.intercepts(Direction.EVENT)) {
            return Optional.of(event.data());
        }
        if (!(codec.decode(event.data().getBytes(StandardCharsets.UTF_8)) instanceof DecodedPayload.Decoded decoded)) {
            return Optional.of(event.data());
        }
        Rewrite rewrite = interception.intercept(Direction.EVENT, exchange, decoded.payload(), event.data());
        return rewrite.changed() ? rewrite.text() : Optional.of(event.data());
    }

    private void unanswered(String why) {
        if (!released && attached()) {
            write(new SseEvent(Optional.empty(), Optional.empty(),
                    new JsonRpcError(Optional.of(request), JsonRpcErrorCodes.INTERNAL_ERROR, "Upstream error: " + why).toJson(), Optional.empty()));
        }
    }

    /** Closes the upstream request: the read it blocks in returns, and the stream ends. */
    @Override
    public void releaseUpstream() {
        released = true;
        source.close();
    }
}
