package io.mcprelay.application.port.out;

import io.mcprelay.domain.stream.StreamKind;
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
}
