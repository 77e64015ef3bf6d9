package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.upstream.UpstreamEvent;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream event stream parsed from a body, one event per {@link #next()}, whatever the client
 * that opened it: the body's transport is released once, by {@link #close()} from any thread, or as
 * soon as the stream ends or breaks. A failure after {@link #close()} (the socket closed under a
 * blocked read) is the end the caller asked for, not a break.
 */
abstract class ParsedEventSource implements UpstreamEvents {

    private final SseParser parser;
    /** What the parser lets go of when the stream is about to wait: made once, not per event. */
    private final Runnable dropParserBuffers;
    private final AtomicBoolean closed = new AtomicBoolean();

    ParsedEventSource(InputStream body, int maxEventBytes) {
        this.parser = new SseParser(body, maxEventBytes);
        this.dropParserBuffers = parser::dropBuffers;
    }

    /** Whether a read failure is the body's proper end after all (an unframed body that ends with the connection). */
    abstract boolean isProperEnd(Exception failure);

    /** Releases the body's connection and its place in the pool; called once. */
    abstract void release();

    /**
     * Waits until the body has input, where the caller's stack is shallow; called before each event
     * for which the parser holds no bytes. Runs {@code beforeWaiting} only if it is really going to
     * wait (not when input is at hand). Nothing by default: the parser's read then waits.
     */
    void awaitInput(Runnable beforeWaiting) throws IOException {
    }

    @Override
    public final UpstreamEvents.Read next() {
        if (closed.get()) {
            return new UpstreamEvents.Read.End();
        }
        UpstreamEvents.Read read;
        try {
            if (!parser.holdsInput()) {
                awaitInput(dropParserBuffers);
            }
            read = parser.next().<UpstreamEvents.Read>map(event -> new UpstreamEvents.Read.Event(UpstreamEvent.of(event))).orElseGet(UpstreamEvents.Read.End::new);
        } catch (IOException | RuntimeException e) {
            read = closed.get() || isProperEnd(e) ? new UpstreamEvents.Read.End() : new UpstreamEvents.Read.Broken(UpstreamFailures.describe(e));
        }
        if (!(read instanceof UpstreamEvents.Read.Event)) {
            close();
        }
        return read;
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }
}
