package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Relays one upstream event stream to the client, event by event: read one event, append it to the
 * stream's replay log, give it our id, write and flush it, read the next. Nothing is accumulated;
 * while the client is there, its pace is the upstream's pace (the blocking write is the backpressure).
 *
 * <p>A client that goes away is not a cancellation: the pump keeps reading the upstream into the
 * log, so the client can resume, until the upstream ends or the {@link StreamSupervisor}'s grace
 * time runs out and releases the upstream connection. Upstream event ids and {@code retry} hints
 * stay beside our events in the log; events with empty data (upstream priming) only move the
 * upstream cursor. If the upstream ends before every request of the POST was answered, each
 * unanswered request gets a JSON-RPC error event, logged like any other, so neither the client nor a
 * later resume waits forever.
 *
 * <p>Without a log (an initialize that opened no session) events are relayed without ids.
 */
final class StreamPump {

    private static final System.Logger LOG = System.getLogger(StreamPump.class.getName());

    private final MessageCodecPort codec;
    private final ClockPort clock;
    private final RelayMetricsPort metrics;
    private final UpstreamPort.EventSource source;
    private final DownstreamPort.Stream out;
    private final Optional<StreamInfo> stream;
    private final EventLogPort log;
    private final Set<RequestId> unanswered;
    private final AtomicBoolean attached = new AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicInteger followers = new java.util.concurrent.atomic.AtomicInteger();
    /** {@link System#nanoTime()} of the last write to the client: timers use monotonic time, not the wall clock. */
    private volatile long lastWriteNanos;

    StreamPump(StreamRelay relay, UpstreamPort.EventSource source, DownstreamPort.Stream out, Optional<StreamInfo> stream,
               Set<RequestId> unanswered) {
        this.codec = relay.codec();
        this.clock = relay.clock();
        this.metrics = relay.metrics();
        this.log = relay.log();
        this.source = source;
        this.out = out;
        this.stream = stream;
        this.unanswered = unanswered;
        this.lastWriteNanos = System.nanoTime();
    }

    /** Pumps until the upstream ends or breaks, or the grace time after a disconnect runs out. */
    void run(List<SseEvent> alreadyRead, Instant requestedAt) {
        boolean first = true;
        for (SseEvent event : alreadyRead) {
            first = relayOne(event, first, requestedAt);
        }
        while (true) {
            switch (source.next()) {
                case UpstreamPort.Read.Event e -> first = relayOne(e.event(), first, requestedAt);
                case UpstreamPort.Read.End end -> {
                    answerUnanswered("the upstream ended the stream before answering");
                    return;
                }
                case UpstreamPort.Read.Broken broken -> {
                    LOG.log(System.Logger.Level.WARNING, "stream {0}: upstream broke: {1}",
                            stream.map(s -> s.id().value()).orElse("-"), broken.reason());
                    answerUnanswered("the upstream stream broke before answering: " + broken.reason());
                    return;
                }
            }
        }
    }

    private boolean relayOne(SseEvent event, boolean first, Instant requestedAt) {
        if (event.data().isEmpty()) {
            event.id().ifPresent(upstreamId -> stream.ifPresent(s -> log.recordUpstreamCursor(s.id(), upstreamId)));
            return first;
        }
        noteResponses(event);
        deliver(event.event(), event.data(), event.id());
        metrics.eventRelayed();
        if (first) {
            metrics.firstEvent(Duration.between(requestedAt, clock.now()));
        }
        return false;
    }

    private void deliver(Optional<String> type, String data, Optional<String> upstreamId) {
        SseEvent toClient = new SseEvent(Optional.empty(), type, data, Optional.empty());
        if (stream.isPresent()) {
            try {
                long sequence = log.append(stream.get().id(), new EventLogPort.Entry(type, data, upstreamId));
                toClient = new LoggedEvent(sequence, type, data, upstreamId).toClientEvent(stream.get().id());
            } catch (IllegalStateException | StoreUnavailableException e) {
                // the log was dropped (limits, session deleted) or is unreachable: the client still gets the event, unresumable
                LOG.log(System.Logger.Level.WARNING, "stream {0}: event not logged: {1}", stream.get().id(), e.getMessage());
            }
        }
        if (attached.get()) {
            if (out.emit(toClient)) {
                lastWriteNanos = System.nanoTime();
            } else {
                attached.set(false);
                LOG.log(System.Logger.Level.DEBUG, "stream {0}: client gone; still reading upstream into the log",
                        stream.map(s -> s.id().value()).orElse("-"));
            }
        }
    }

    private void noteResponses(SseEvent event) {
        if (unanswered.isEmpty() || !event.isMessage()) {
            return;
        }
        if (codec.decode(event.data().getBytes(StandardCharsets.UTF_8)) instanceof DecodedPayload.Decoded decoded) {
            for (JsonRpcMessage message : decoded.payload().messages()) {
                switch (message) {
                    case JsonRpcMessage.Response response -> unanswered.remove(response.id());
                    case JsonRpcMessage.ErrorResponse error -> error.id().ifPresent(unanswered::remove);
                    default -> { }
                }
            }
        }
    }

    private void answerUnanswered(String why) {
        for (RequestId id : List.copyOf(unanswered)) {
            String json = new JsonRpcError(Optional.of(id), JsonRpcErrorCodes.INTERNAL_ERROR, "Upstream error: " + why).toJson();
            deliver(Optional.empty(), json, Optional.empty());
            unanswered.remove(id);
        }
    }

    /** Whether the client connection is still being written to. */
    boolean attached() {
        return attached.get();
    }

    /** Whether anyone still takes the stream's events: its own client, or a resumed one following the log. */
    boolean attended() {
        return attached.get() || followers.get() > 0;
    }

    /** A resumed client started (+1) or stopped (-1) following this stream's log. */
    void follow(int delta) {
        followers.addAndGet(delta);
    }

    /** When ({@link System#nanoTime()}) an event or heartbeat last reached the client. */
    long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Sends a heartbeat if the client is attached; false if it turned out to be gone. */
    boolean heartbeat() {
        if (!attached.get()) {
            return false;
        }
        if (out.comment("")) {
            lastWriteNanos = System.nanoTime();
            return true;
        }
        attached.set(false);
        return false;
    }

    /** Stops writing to the client connection (it was taken over by a resumed one, or is gone) and ends it. */
    void detachDownstream() {
        if (attached.compareAndSet(true, false)) {
            out.close();
        }
    }

    /** Releases the upstream connection: the pump's blocked read returns and the pump ends. */
    void releaseUpstream() {
        source.close();
    }
}
