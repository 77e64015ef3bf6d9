package io.mcprelay.adapter.http.in;

import io.helidon.webserver.ServerConnectionException;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.stream.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An SSE response on a Helidon output stream. Each write is flushed at once, so Helidon sends one
 * chunk per event. A write that fails means the client is gone (Helidon reports it as
 * {@code ServerConnectionException}, an unchecked exception, on the next write or flush); from then
 * on every call returns {@code false}. A lock (not {@code synchronized}, which would pin a virtual
 * thread during the blocking write) keeps events and heartbeats from interleaving.
 */
final class HelidonEventStream implements DownstreamPort.Stream {

    /** The first bytes of every stream: an empty comment, the smallest chunk that makes Helidon send the head. */
    private static final byte[] OPENING = SseWriter.comment("");

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean gone;
    private boolean closed;
    /** Written under the lock, read by the access log after the stream ended. */
    private volatile long events;
    private volatile long bytes;

    HelidonEventStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public boolean emit(SseEvent event) {
        return write(SseWriter.event(event), 1);
    }

    @Override
    public boolean comment(String text) {
        return write(SseWriter.comment(text), 0);
    }

    /**
     * Sends the response head now, before any event, so the client sees the stream open at once (an
     * upstream's first event or the first heartbeat may be a long way off). Helidon holds back the
     * head of a chunked response until the first chunk with content: its output stream buffers the
     * first write and sends the head with it on flush, and an empty write is no chunk at all (a
     * zero-length chunk would end the body). So the stream opens with an empty SSE comment, which
     * every SSE client ignores.
     */
    boolean open() {
        return write(OPENING, 0);
    }

    private boolean write(byte[] bytes, int eventCount) {
        lock.lock();
        try {
            if (gone || closed) {
                return false;
            }
            out.write(bytes);
            out.flush();
            this.bytes += bytes.length;
            this.events += eventCount;
            return true;
        } catch (IOException | UncheckedIOException | ServerConnectionException e) {
            gone = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Events written to the client so far. */
    long eventsWritten() {
        return events;
    }

    /** Bytes written to the client so far (events, comments, heartbeats). */
    long bytesWritten() {
        return bytes;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            out.close();
        } catch (IOException | UncheckedIOException | ServerConnectionException e) {
            gone = true;
        } finally {
            lock.unlock();
        }
    }
}
