package io.mcprelay.application.port.out;

import io.mcprelay.domain.stream.StreamKind;
import io.mcprelay.domain.era.ProtocolEra;
import java.time.Duration;

/**
 * What the relay reports for metrics. Every method has a no-op default, so an adapter implements
 * only what it measures; {@link #NONE} measures nothing. Called on request threads: implementations
 * must be thread-safe and must not block.
 */
public interface RelayMetricsPort {

    RelayMetricsPort NONE = new None();

    /** Measures nothing. */
    record None() implements RelayMetricsPort {
    }

    /** A stream was opened towards a client. */
    default void streamOpened(StreamKind kind) {
    }

    /** A stream towards a client ended (completed, client gone, or upstream broke). */
    default void streamClosed(StreamKind kind) {
    }

    /** One upstream event was relayed (logged, and written if the client was there). */
    default void eventRelayed() {
    }

    /** One logged event was replayed to a resuming client. */
    default void eventReplayed() {
    }

    /** Time from the upstream request to the first relayed event of a stream. */
    default void firstEvent(Duration sinceRequest) {
    }

    /**
     * One POSTed body was answered (for an event stream: once the stream ended).
     *
     * @param rpcMethod the single message's method; {@code "response"} for a response, {@code "batch"}
     *                  for a batch, {@code "invalid"} for a body that could not be decoded. Client-chosen
     *                  text: an adapter must bound it before using it as a label
     * @param outcome   {@code "ok"}, or the rejection reason in lower case (e.g. {@code "session_not_found"},
     *                  {@code "upstream_timeout"}); {@code "unanswered"} if the relay failed before answering
     * @param latency   from the body's arrival at the use case to the end of its answer
     */
    default void requestCompleted(String rpcMethod, String outcome, Duration latency) {
    }

    /**
     * As {@link #requestCompleted(String, String, Duration)}, for a body of protocol era {@code era}
     * (a 2026-07-28 request, or a 2025-era one; a refused body counts in the era its headers named).
     */
    default void requestCompleted(String rpcMethod, String outcome, Duration latency, ProtocolEra era) {
        requestCompleted(rpcMethod, outcome, latency);
    }

    /**
     * One session store operation finished.
     *
     * @param operation the {@link SessionStorePort} method's name, e.g. {@code "find"}
     * @param latency   how long it took
     * @param failed    {@code true} if the store was unavailable ({@link StoreUnavailableException})
     */
    default void storeOperation(String operation, Duration latency, boolean failed) {
    }

    /**
     * A configured interception rule acted on a message.
     *
     * @param rule   the rule's name (at most {@code RuleSet.MAX_RULES} distinct names per configuration)
     * @param action the rule's action, e.g. {@code "block"}
     */
    default void interceptorRuleHit(String rule, String action) {
    }

    /** A code interceptor threw instead of deciding; the message went on unchanged. */
    default void interceptorFailed(String interceptor) {
    }

    /**
     * A request was refused by a limit (HTTP 429).
     *
     * @param limit       the limit's name: {@code per-principal}, {@code per-tool}, {@code global} or
     *                    {@code session-max-requests} (a bounded set: never a tool or caller name)
     * @param callerClass what the caller is known by: {@code session} or {@code principal}
     */
    default void requestLimited(String limit, String callerClass) {
    }

    /**
     * The rate limits could not be checked because their store was unavailable.
     *
     * @param policy what the request got: {@code open} (let through) or {@code closed} (refused)
     */
    default void limitCheckFailed(String policy) {
    }

    /**
     * A stdio upstream started a server process (one per relay session).
     *
     * @param upstream the configured upstream's name (a bounded set)
     */
    default void upstreamProcessStarted(String upstream) {
    }

    /**
     * A stdio upstream's server process ended, or could not be started.
     *
     * @param upstream the configured upstream's name (a bounded set)
     * @param cause    a fixed set of lower-case words: {@code stopped}, {@code terminated}, {@code killed},
     *                 {@code exited}, {@code broken}, {@code start_timeout}, {@code failed_to_start}
     */
    default void upstreamProcessExited(String upstream, String cause) {
    }

    /** Bridge (b) opened an upstream session of its own (to carry 2026-07-28 requests to a 2025-era upstream). */
    default void bridgeSessionOpened() {
    }

    /** Bridge (b) let go of one of its upstream sessions: {@code why} is {@code "lost"}, {@code "ended"}, {@code "idle"} or {@code "stopped"}. */
    default void bridgeSessionClosed(String why) {
    }

    /** Bridge (b) parked a call on the upstream's question, for the client's retry. */
    default void bridgeCallParked() {
    }

    /** A parked call left the parking: {@code outcome} is {@code "retried"}, {@code "expired"}, {@code "abandoned"} or {@code "stopped"}. */
    default void bridgeCallUnparked(String outcome) {
    }
}
