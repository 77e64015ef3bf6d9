package io.mcprelay.adapter.http.in;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main listener's drain, as Envoy and nginx do it on a graceful stop: once {@link #begin() begun},
 * readiness fails (so a balancer stops sending new work), new sessions are refused with 503, and the
 * requests already in flight may finish; {@link #endStreams()} then ends the event streams still
 * open cleanly (their chunked bodies terminated), so their clients resume them at once with
 * {@code Last-Event-ID}, wherever the balancer sends them.
 *
 * <p>What is counted: every request to the MCP endpoint in flight, and among them the ones the drain
 * waits for ({@link #awaited()}): all but the GET streams opened without {@code Last-Event-ID}
 * (a session's standalone stream), which never end by themselves and owe the client nothing a
 * resume cannot give.
 */
public final class Drain {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger awaited = new AtomicInteger();
    private final Set<HelidonEventStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<PendingAnswer> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    /** Set once the streams were ended: a stream that opens after that is ended at once. */
    private volatile boolean streamsEnded;

    /** Starts draining: readiness fails and new sessions are refused from now on. Idempotent. */
    public void begin() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Why readiness fails because of the drain, or empty while not draining. */
    public Optional<String> notReady() {
        return draining ? Optional.of("draining: this instance is shutting down") : Optional.empty();
    }

    /** Requests to the MCP endpoint in flight now, streams included. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests in flight that the drain waits for: all but standalone GET streams. */
    public int awaited() {
        return awaited.get();
    }

    /** Event streams open to clients now. */
    public int openStreams() {
        return streams.size();
    }

    /**
     * Ends every event stream open now, cleanly: each body's last chunk is written, so its client
     * sees a complete response and resumes with its last event id. The relay's pump behind the
     * stream sees a gone client on its next write. Returns how many were ended.
     */
    public int endStreams() {
        streamsEnded = true;
        int ended = 0;
        for (HelidonEventStream stream : Set.copyOf(streams)) {
            stream.close();
            streams.remove(stream);
            ended++;
        }
        return ended;
    }

    /**
     * Answers every POST still waiting for its answer to begin (a JSON answer still being computed
     * upstream) with a JSON-RPC error naming {@code detail}, instead of the connection closing under
     * it with nothing: called at the drain's deadline. Returns how many were answered so.
     */
    public int cutPendingAnswers(String detail) {
        int cut = 0;
        for (PendingAnswer answer : Set.copyOf(pending)) {
            if (answer.cut(detail)) {
                cut++;
            }
            pending.remove(answer);
        }
        return cut;
    }

    /** POSTs in flight whose answer has not begun. */
    public int pendingAnswers() {
        return pending.size();
    }

    void answerPending(PendingAnswer answer) {
        pending.add(answer);
    }

    void answerBegun(PendingAnswer answer) {
        pending.remove(answer);
    }

    void requestStarted(boolean awaitedByDrain) {
        inFlight.incrementAndGet();
        if (awaitedByDrain) {
            awaited.incrementAndGet();
        }
    }

    void requestEnded(boolean awaitedByDrain) {
        inFlight.decrementAndGet();
        if (awaitedByDrain) {
            awaited.decrementAndGet();
        }
    }

    void streamOpened(HelidonEventStream stream) {
        streams.add(stream);
        if (streamsEnded && streams.remove(stream)) {
            stream.close();
        }
    }

    void streamClosed(HelidonEventStream stream) {
        streams.remove(stream);
    }
}
