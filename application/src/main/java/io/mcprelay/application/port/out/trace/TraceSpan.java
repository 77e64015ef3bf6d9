package io.mcprelay.application.port.out.trace;

/**
 * One span being recorded: a request served or an upstream exchange. Set attributes while it runs,
 * then {@link #end()} it once (later calls do nothing). A span that is not sampled (or tracing that is
 * off) accepts every call and records nothing. Thread-safe: a stream's span may end on another thread
 * than the one that started it.
 */
public interface TraceSpan extends AutoCloseable {

    /** Records nothing; its context is the one it was started under. */
    static TraceSpan none(TraceContext context) {
        return new Unrecorded(context);
    }

    /**
     * The trace context a message sent on behalf of this span carries, so that the receiver's spans
     * become its children: this span's {@code traceparent}, the {@code tracestate} and {@code baggage}
     * it was started under.
     */
    TraceContext context();

    /** Renames the span, once what it does is known (a request's JSON-RPC method is read after it started). */
    void name(String name);

    /** Sets a string attribute; a null value is ignored. */
    void attribute(String key, String value);

    void attribute(String key, long value);

    /** Marks the span as failed, with {@code errorType} a short low-cardinality kind (e.g. {@code upstream_timeout}). */
    void failed(String errorType);

    /** Ends the span; once. */
    void end();

    /** Ends the span (a span is a resource its starter must end, as a try-with-resources may). */
    @Override
    default void close() {
        end();
    }

    /** A span that records nothing, carrying the context it was started under. */
    record Unrecorded(TraceContext context) implements TraceSpan {

        @Override
        public void name(String name) {
        }

        @Override
        public void attribute(String key, String value) {
        }

        @Override
        public void attribute(String key, long value) {
        }

        @Override
        public void failed(String errorType) {
        }

        @Override
        public void end() {
        }
    }
}
