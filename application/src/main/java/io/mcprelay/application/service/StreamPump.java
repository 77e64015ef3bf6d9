package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamInfo;
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
 * log, so the client can resume, until the upstream ends or its {@link StreamSupervisor}'s grace
 * time runs out and releases the upstream connection. Upstream event ids and {@code retry} hints
 * stay beside our events in the log; events with empty data (upstream priming) only move the
 * upstream cursor. If the upstream ends before every request of the POST was answered, each
 * unanswered request gets a JSON-RPC error event, logged like any other, so neither the client nor a
 * later resume waits forever.
 *
 * <p>Without a log (an initialize that opened no session) events are relayed without ids.
 */
final class StreamPump implements SupervisedStream {

    private static final System.Logger LOG = System.getLogger(StreamPump.class.getName());
    /** Re-attachments in a row without a new event before the pump gives up on the upstream. */
    private static final int MAX_REATTACH = 5;

    private final ClockPort clock;
    private final RelayMetricsPort metrics;
    /** The upstream stream being read, and its re-attachment after an early close. */
    private final PumpUpstream upstream;
    private final boolean standalone;
    private volatile boolean released;
    /** Set once another instance took the stream over: nothing more is written, to the log or the client. */
    private volatile boolean leaseLost;
    /** Set while the pump hands its lease on ({@link #yieldTo}): losing the lease then is expected, not news. */
    private volatile boolean yielding;
    /** The lease the log writes go under, and the store checks of each supervisor tick. */
    private final PumpLease store;
    private final DownstreamPort.Stream out;
    private final Optional<StreamInfo> stream;
    private final OpenRequests unanswered;
    private final AtomicBoolean attached = new AtomicBoolean(true);
    /** The interceptors' pass over each event before it is logged. */
    private final PumpInterception interception;
    private final java.util.concurrent.atomic.AtomicInteger followers = new java.util.concurrent.atomic.AtomicInteger();
    /** Numbers and logs the stream's events, also while the log does not answer. */
    private final StreamLogWriter logging;
    /** {@link System#nanoTime()} of the last write to the client: timers use monotonic time, not the wall clock. */
    private volatile long lastWriteNanos;

    StreamPump(StreamRelay relay, UpstreamEvents source, DownstreamPort.Stream out, Optional<StreamInfo> stream,
               Set<RequestId> unanswered, UpstreamReconnect reconnect, Exchange exchange) {
        this.interception = new PumpInterception(relay.interception(), relay.codec(), exchange);
        this.upstream = new PumpUpstream(source, reconnect);
        this.standalone = stream.map(s -> s.kind() == io.mcprelay.domain.stream.StreamKind.STANDALONE).orElse(false);
        this.clock = relay.clock();
        this.metrics = relay.metrics();
        this.out = out;
        this.stream = stream;
        this.unanswered = new OpenRequests(relay.codec(), unanswered);
        this.lastWriteNanos = System.nanoTime();
        this.logging = new StreamLogWriter(relay.log(), stream.map(StreamInfo::id));
        this.store = new PumpLease(relay.log(), relay.leases(), stream, relay.settings().renewEvery());
    }

    /** Pumps until the upstream ends or breaks, or the grace time after a disconnect runs out. */
    void run(List<SseEvent> alreadyRead, Instant requestedAt) {
        boolean first = true;
        for (SseEvent event : alreadyRead) {
            first = relayOne(event, first, requestedAt);
        }
        int reattempts = 0;
        while (!leaseLost) {
            UpstreamEvents.Read read = upstream.next();
            if (!(read instanceof UpstreamEvents.Read.Event) && upstream.takeRepoll()) {
                if (reattach(false, false)) {
                    continue;
                }
            }
            switch (read) {
                case UpstreamEvents.Read.Event e -> {
                    upstream.eventArrived();
                    first = relayOne(e.event().toSseEvent(), first, requestedAt);
                    reattempts = 0;
                    if (unanswered.allAnswered()) {
                        // every request of the POST is answered: the stream is done, whether or not the
                        // upstream closes its connection (a re-attached one may stay open)
                        return;
                    }
                }
                case UpstreamEvents.Read.End end -> {
                    if (reattempts < MAX_REATTACH && reattach(false, true)) {
                        reattempts++;
                        continue;
                    }
                    if (!leaseLost) {
                        answerUnanswered("the upstream ended the stream before answering");
                    }
                    return;
                }
                case UpstreamEvents.Read.Broken broken -> {
                    LOG.log(System.Logger.Level.WARNING, "stream {0}: upstream broke: {1}", name(), broken.reason());
                    if (reattempts < MAX_REATTACH && reattach(true, true)) {
                        reattempts++;
                        continue;
                    }
                    if (!leaseLost) {
                        answerUnanswered("the upstream stream broke before answering: " + broken.reason());
                    }
                    return;
                }
            }
        }
    }

    /**
     * After the upstream closed the connection early or it broke: when the stream still owes
     * something (an unanswered request, or it is the standalone stream the upstream asked us to poll)
     * and the upstream gave event ids, waits its {@code retry} hint (1 s without one, at most 30 s)
     * and resumes it after the upstream's last cursor, so the client's stream simply continues.
     */
    private boolean reattach(boolean broke, boolean wait) {
        boolean owed = unanswered.any() || standalone && (upstream.retryHint().isPresent() || broke);
        return !released && owed && upstream.reattach(wait, () -> released, name());
    }

    /** The pump reads from a stream it re-attached to (after an early close, or taking over from a dead instance). */
    void markReattached() {
        upstream.markReattached();
    }

    @Override
    public boolean reattached() {
        return upstream.reattached();
    }

    @Override
    public Duration untilStale(Duration after) {
        return upstream.untilStale(after);
    }

    /**
     * Some upstreams answer a resuming GET with the events stored so far and then nothing more (the
     * reference TypeScript server does), although the request is still running. While a request of a
     * re-attached stream is unanswered and the upstream has been silent for {@code after}, the pump
     * polls: it drops the quiet connection and re-attaches from its latest upstream event id.
     */
    @Override
    public void repollIfStale(java.time.Duration after) {
        if (!released && unanswered.any()) {
            upstream.repollIfStale(after);
        }
    }

    private String name() {
        return stream.map(s -> s.id().value()).orElse("-");
    }

    private boolean relayOne(SseEvent event, boolean first, Instant requestedAt) {
        upstream.saw(event);
        if (event.data().isEmpty()) {
            event.id().ifPresent(store::recordCursor);
            return first;
        }
        List<RequestId> answers = unanswered.note(event);
        Optional<String> kept = interception.pass(event);
        if (kept.isEmpty()) {
            // dropped by an interceptor: neither logged nor sent, but the upstream cursor moves past it
            event.id().ifPresent(store::recordCursor);
            return first;
        }
        if (!kept.get().equals(event.data())) {
            answers = unanswered.of(kept.get());
        }
        String data = kept.get();
        deliver(event.event(), data, event.id(), answers);
        metrics.eventRelayed();
        if (first) {
            metrics.firstEvent(Duration.between(requestedAt, clock.now()));
        }
        return false;
    }

    /** Sends (and logs) the answers the interceptors gave to requests of the POST, before any upstream event. */
    void deliverAnsweredHere(List<String> answers) {
        for (String answer : answers) {
            deliver(Optional.empty(), answer, Optional.empty(), unanswered.of(answer));
        }
    }

    /**
     * Logs (with the requests it answers, which the log may keep beside its events for a take-over)
     * and sends one event.
     */
    private void deliver(Optional<String> type, String data, Optional<String> upstreamId, List<RequestId> answers) {
        SseEvent toClient = new SseEvent(Optional.empty(), type, data, Optional.empty());
        if (stream.isPresent() && logging.logs()) {
            long sequence = logging.log(new EventLogPort.Entry(type, data, upstreamId, answers));
            if (logging.leaseLost()) {
                loseLease();
                return;
            }
            if (logging.logs()) {
                toClient = new LoggedEvent(sequence, type, data, upstreamId).toClientEvent(stream.get().id());
            }
        }
        if (attached.get()) {
            if (out.emit(toClient)) {
                lastWriteNanos = System.nanoTime();
            } else {
                attached.set(false);
                if (owesNothing() && !attended()) {
                    LOG.log(System.Logger.Level.DEBUG, "stream {0}: client gone; it owes nothing, releasing the upstream", name());
                    releaseUpstream();
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "stream {0}: client gone; still reading upstream into the log", name());
                }
            }
        }
    }

    /** Ends the stream without its upstream: each unanswered request gets an error saying {@code why}. */
    void abandon(String why) {
        answerUnanswered(why);
    }

    private void answerUnanswered(String why) {
        for (RequestId id : unanswered.remaining()) {
            String json = new JsonRpcError(Optional.of(id), JsonRpcErrorCodes.INTERNAL_ERROR, "Upstream error: " + why).toJson();
            deliver(Optional.empty(), json, Optional.empty(), List.of(id));
            unanswered.answered(id);
        }
    }

    /** Whether the client connection is still being written to. */
    @Override
    public boolean attached() {
        return attached.get();
    }

    /** Whether anyone still takes the stream's events: its own client, or a resumed one following the log. */
    @Override
    public boolean attended() {
        return attached.get() || followers.get() > 0 || store.followedElsewhere();
    }

    /** A resumed client started (+1) or stopped (-1) following this stream's log. */
    void follow(int delta) {
        followers.addAndGet(delta);
    }

    /** When ({@link System#nanoTime()}) an event or heartbeat last reached the client. */
    @Override
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Sends a heartbeat if the client is attached; false if it turned out to be gone. */
    @Override
    public boolean heartbeat() {
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

    /** The standalone stream owes nothing: it answers no request of the client. */
    @Override
    public boolean owesNothing() {
        return standalone && !unanswered.any();
    }

    /**
     * Whether the pump ended because its client left a stream that owes nothing, and the upstream
     * gave an event id to re-attach from: then the stream is not over but handed over, so a client
     * that resumes it (on any instance) re-attaches the upstream where it stopped; also one that
     * resumed it while this pump was still ending, and follows the log waiting for the next event.
     */
    boolean handsOver() {
        return released && owesNothing() && upstream.cursor().isPresent();
    }

    /** Releases the upstream connection: the pump's blocked read returns and the pump ends. */
    @Override
    public void releaseUpstream() {
        released = true;
        upstream.close();
    }

    /** The lease under which this pump writes to the stream's log (fencing: its writes stop counting once it is taken over). */
    void holding(StreamLeasePort.Lease held) {
        store.holding(held);
        logging.holding(held);
    }

    /**
     * Another instance took the stream over (this one was found not alive, e.g. paused past its
     * lease): stop at once, without writing anything more, and let the client go (it resumes
     * wherever it reconnects).
     */
    private void loseLease() {
        if (!leaseLost) {
            leaseLost = true;
            if (!yielding) {
                LOG.log(System.Logger.Level.WARNING, "stream {0}: another instance took it over; this one stops relaying it", name());
            }
            released = true;
            detachDownstream();
            upstream.close();
        }
    }

    /**
     * On each supervisor tick, the store checks ({@link PumpLease#check}): the pump stops when another
     * instance took the stream over, and lets its client go when a client follows the stream on
     * another instance (that one takes it over from this pump's client connection).
     */
    @Override
    public void tick() {
        switch (store.check(attached.get())) {
            case LOST -> loseLease();
            case FOLLOWED_ELSEWHERE -> detachDownstream();
            case FINE -> { }
        }
    }

    /**
     * This instance stops serving (the end of a drain): the stream's lease goes to {@code successor}
     * (a name no instance has, so the next resume on any instance takes the stream over and
     * re-attaches the upstream) and the pump stops at once without writing anything more, to the
     * log or the client: the stream is not over, so its unanswered requests get no error. Its
     * client's response ends, and the client resumes wherever it reconnects. Returns whether the
     * lease was handed on (false without a lease, or when the store did not answer: then the
     * instance's lapsing liveness lets another instance take the stream over).
     */
    boolean yieldTo(String successor) {
        yielding = true;
        boolean handed = store.handTo(successor);
        leaseLost = true;
        released = true;
        detachDownstream();
        upstream.close();
        return handed;
    }

    /** Closes whatever upstream stream the pump holds at the end, and makes a last try to log what the log has not confirmed. */
    void closeUpstream() {
        upstream.close();
        if (stream.isPresent()) {
            logging.flush();
        }
    }

    /** The pump continues a stream whose log already holds events up to {@code lastSequence} (taking it over). */
    void continueAfter(long lastSequence) {
        logging.continueAfter(lastSequence);
    }
}
