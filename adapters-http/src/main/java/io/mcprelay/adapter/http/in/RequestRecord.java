package io.mcprelay.adapter.http.in;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What is known of one request to the MCP endpoint once it is answered: who sent it, what it asked
 * for, which upstream served it, how it ended. {@link TrafficFilter} opens one per request on the
 * request's thread; the layers below add what only they know through the static {@code note...}
 * methods (the use case its JSON-RPC method and outcome, the upstream client its upstream), so that
 * neither the use cases nor the ports carry access-log parameters. A note made off the request's
 * thread is dropped: the record is incomplete, never wrong.
 */
public final class RequestRecord {

    private static final ThreadLocal<RequestRecord> CURRENT = new ThreadLocal<>();

    private final long startedNanos = System.nanoTime();
    private final long startedMillis = System.currentTimeMillis();
    private final String httpMethod;
    private final String client;
    private final Drain drain;
    private volatile Optional<String> sessionId;
    private volatile String rpcMethod;
    private volatile String outcome;
    private volatile String upstream;
    private volatile HelidonEventStream stream;
    private volatile String refusal;
    private volatile RequestTrace trace;
    private int status;
    private long bytes;
    private long durationNanos;

    RequestRecord(String httpMethod, String client, Optional<String> sessionId, Drain drain) {
        this.httpMethod = httpMethod;
        this.client = client;
        this.sessionId = sessionId;
        this.drain = drain;
    }

    /** The record of the request being served on this thread, if any. */
    static Optional<RequestRecord> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Notes the JSON-RPC method of the POSTed body ({@code "batch"}, {@code "response"}, {@code "invalid"}
     * for bodies that are not one request) and the use case's outcome ({@code "ok"} or a rejection
     * reason in lower case).
     */
    public static void noteMessage(String rpcMethod, String outcome) {
        RequestRecord record = CURRENT.get();
        if (record != null) {
            record.rpcMethod = rpcMethod;
            record.outcome = outcome;
        }
    }

    /** Notes the upstream the request was sent to (the last one, if it was retried elsewhere). */
    public static void noteUpstream(String name) {
        RequestRecord record = CURRENT.get();
        if (record != null) {
            record.upstream = name;
        }
    }

    /**
     * The request facts that travel upstream with the current request's messages ({@code X-Request-Id},
     * {@code X-Forwarded-*}, the trace context), or none off the request's thread.
     */
    static Map<String, String> upstreamValues() {
        RequestRecord record = CURRENT.get();
        return record == null || record.trace == null ? Map.of() : record.trace.upstreamValues();
    }

    /** Registers a POST's answer with the drain until it begins, so that a drain's deadline can answer in its place. */
    PendingAnswer awaitAnswer(io.helidon.webserver.http.ServerResponse response, byte[] body) {
        PendingAnswer answer = new PendingAnswer(this, response, body);
        drain.answerPending(answer);
        return answer;
    }

    /** The answer began (or the use case returned): the drain no longer answers for it. */
    void answerBegun(PendingAnswer answer) {
        drain.answerBegun(answer);
    }

    void trace(RequestTrace requestTrace) {
        this.trace = requestTrace;
    }

    /** The request's trace, if the filter gave it one. */
    Optional<RequestTrace> trace() {
        return Optional.ofNullable(trace);
    }

    /** The request id ({@code X-Request-Id}) the request is known by, if the filter gave it one. */
    public Optional<String> requestId() {
        RequestTrace t = trace;
        return t == null ? Optional.empty() : Optional.of(t.requestId());
    }

    /** The id of the trace the request's span belongs to, while tracing is on. */
    public Optional<String> traceId() {
        RequestTrace t = trace;
        return t == null || !t.tracing() ? Optional.empty() : t.traceId();
    }

    void enter() {
        CURRENT.set(this);
    }

    void leave() {
        CURRENT.remove();
    }

    void refused(String reason) {
        this.refusal = reason;
    }

    /** The answer is an event stream: a drain that runs out of time ends it cleanly. */
    void stream(HelidonEventStream opened) {
        this.stream = opened;
        drain.streamOpened(opened);
    }

    /** The request is answered (for a stream: the stream ended); {@code answeredSession} is the session id its answer gave. */
    void finish(int sentStatus, long bytesWritten, Optional<String> answeredSession) {
        HelidonEventStream events = stream;
        if (events != null) {
            drain.streamClosed(events);
        }
        if (sessionId.isEmpty()) {
            sessionId = answeredSession;
        }
        this.status = sentStatus;
        this.bytes = bytesWritten;
        this.durationNanos = System.nanoTime() - startedNanos;
    }

    /** When the request arrived, in milliseconds since the epoch. */
    public long startedMillis() {
        return startedMillis;
    }

    public String httpMethod() {
        return httpMethod;
    }

    /** The address of the connection's peer. */
    public String client() {
        return client;
    }

    /** The {@code Mcp-Session-Id} the request carried, or the one its answer gave (an initialize). */
    public Optional<String> sessionId() {
        return sessionId;
    }

    /** The JSON-RPC method of a POST, if the use case got as far as reading it. */
    public Optional<String> rpcMethod() {
        return Optional.ofNullable(rpcMethod);
    }

    /** The use case's outcome of a POST ({@code "ok"} or a rejection reason in lower case), if it gave one. */
    public Optional<String> outcome() {
        return Optional.ofNullable(outcome);
    }

    public Optional<String> upstream() {
        return Optional.ofNullable(upstream);
    }

    /** Why the endpoint refused the request before any use case ran (e.g. {@code draining}), if it did. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    public int status() {
        return status;
    }

    /** Bytes of the answer's body (for a stream, every event and heartbeat written). */
    public long bytes() {
        HelidonEventStream events = stream;
        return events != null ? Math.max(bytes, events.bytesWritten()) : bytes;
    }

    /** Whether the answer was an event stream. */
    public boolean streamed() {
        return stream != null;
    }

    /** Events written to the client, for a stream. */
    public long events() {
        HelidonEventStream events = stream;
        return events == null ? 0 : events.eventsWritten();
    }

    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }
}
