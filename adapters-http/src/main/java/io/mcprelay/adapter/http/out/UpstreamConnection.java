package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One blocking socket to an upstream with its input buffer. Used by one exchange at a time; only
 * {@link #close()} may come from another thread (it unblocks a read in progress).
 *
 * <p>The buffer is small on purpose: an open event stream keeps its connection, and so its buffer,
 * for as long as it lasts (docs/benchmarks.md, memory per open stream). It grows only while a
 * response head holds a line longer than it, and shrinks back once the head is read; reads of at
 * least its size go straight from the socket into the caller's array.
 *
 * <p>The socket has no read timeout of its own: each blocking read and write notes when it began
 * ({@link TimedSocket}, {@link IoWait}), and {@link IoDeadlines} closes the connection when one
 * waits too long ({@link #markTimedOut()}); the call then fails with a {@link SocketTimeoutException},
 * as with a socket timeout.
 */
final class UpstreamConnection implements AutoCloseable {

    static final int BUFFER_SIZE = 2048;
    /**
     * The buffer of a connection carrying an event stream: only chunk-size lines and what arrives
     * with them pass through it, since the event parser's reads of at least this size go straight
     * from the socket into the parser's own buffer.
     */
    static final int STREAM_BUFFER_SIZE = 256;
    private static final byte[] NONE = new byte[0];

    private final TimedSocket socket;
    /** When the read or write in progress began, and whether the watchdog ended it. */
    private final IoWait wait;
    private final String origin;
    private final IoDeadlines deadlines;
    private final AtomicBoolean closed = new AtomicBoolean();

    private byte[] buffer = new byte[BUFFER_SIZE];
    /** What the buffer is brought back to once empty: {@link #BUFFER_SIZE}, or {@link #STREAM_BUFFER_SIZE} for a stream. */
    private int preferredSize = BUFFER_SIZE;
    private int position;
    private int limit;
    private long idleSince;

    /**
     * @param channel the TCP connection, in blocking mode
     * @param socket  what is read and written: the channel's socket, or the TLS socket over it;
     *                connected (and, for https, handshaken), without a read timeout
     * @param origin  the {@code scheme://host:port} it is connected to; pooled connections are only
     *                reused for the same origin
     * @param deadlines what times out its reads and writes; the caller has it {@linkplain IoDeadlines#watch watch} this
     */
    UpstreamConnection(SocketChannel channel, Socket socket, String origin, IoDeadlines deadlines) throws IOException {
        this.socket = new TimedSocket(channel, socket, this::close);
        this.wait = this.socket.clock();
        this.origin = origin;
        this.deadlines = deadlines;
    }

    String origin() {
        return origin;
    }

    /** Writes a whole request in one write; never while the connection carries a stream. */
    void send(byte[] request, int length) throws IOException {
        socket.send(request, length);
    }

    /**
     * Makes sure the next line, up to and including its LF, is in the buffer, and returns the index of
     * that LF; the line starts at {@link #position()}. Returns -1 when the line (CR included, LF not)
     * is longer than {@code maxLength}, having read no more than that much past it.
     *
     * @throws UpstreamClosedEarlyException when the upstream closes before the line's end
     */
    int lineEnd(int maxLength) throws IOException {
        int scanned = position;
        while (true) {
            for (int i = scanned; i < limit; i++) {
                if (buffer[i] == '\n') {
                    return i - position > maxLength ? -1 : i;
                }
            }
            if (limit - position > maxLength) {
                return -1;
            }
            scanned = limit - position;
            if (!fill()) {
                throw new UpstreamClosedEarlyException();
            }
            scanned += position;
        }
    }

    /** The buffer, for parsing a line found by {@link #lineEnd(int)} in place. */
    byte[] buffer() {
        return buffer;
    }

    int position() {
        return position;
    }

    /** Marks the buffer up to {@code newPosition} as consumed. */
    void consumeTo(int newPosition) {
        position = newPosition;
    }

    /**
     * Sizes the buffer for what the connection carries now: an event stream, which may stay open for
     * hours holding it (docs/benchmarks.md, memory per open stream), or request and answer. The
     * buffer changes size once it is empty or by {@link #shrinkBuffer()}, never losing bytes.
     */
    void carryingStream(boolean stream) {
        if (!stream) {
            wait.untimed(false);
        }
        preferredSize = stream ? STREAM_BUFFER_SIZE : BUFFER_SIZE;
        if (buffer.length == 0) {
            buffer = new byte[preferredSize];
        }
        shrinkBuffer();
    }

    /**
     * Exempts the stream this connection carries from the read timeout (a 2026-07-28
     * {@code subscriptions/listen} answer, which may be silent for as long as nothing changes); the
     * head's deadline still holds. Reset when the connection stops carrying a stream.
     */
    void untimed() {
        wait.untimed(true);
    }

    /** The buffer's size now, for tests. */
    int bufferSize() {
        return buffer.length;
    }

    /** Gives back the memory a long head line took, once the head is read. */
    void shrinkBuffer() {
        int buffered = limit - position;
        if (buffer.length > preferredSize && buffered <= preferredSize) {
            byte[] smaller = new byte[preferredSize];
            System.arraycopy(buffer, position, smaller, 0, buffered);
            buffer = smaller;
            position = 0;
            limit = buffered;
        }
    }

    /** Bytes read from the socket and not consumed yet. */
    int buffered() {
        return limit - position;
    }

    /** Reads body bytes: first what is buffered, else straight from the socket for large reads. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= buffer.length) {
                return socket.read(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    /** Reads more into the buffer, compacting or growing it when full; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (position == limit) {
            position = 0;
            limit = 0;
            if (buffer.length != preferredSize) {
                buffer = new byte[preferredSize];
            }
        } else if (limit == buffer.length) {
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
            } else {
                byte[] larger = new byte[buffer.length * 2];
                System.arraycopy(buffer, 0, larger, 0, limit);
                buffer = larger;
            }
        }
        int n = socket.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    /**
     * Bytes read from the socket so far. Unchanged across a request's exchange means that not one
     * byte of an answer came: what tells a pooled connection the upstream closed while idle (to be
     * retried once on a fresh one) from an answer that broke off.
     */
    long received() {
        return socket.received();
    }

    /**
     * Waits, with the stack of the caller and no deeper, until the socket has bytes to read (or is at
     * its end, or closed), unless some are buffered already: where an event stream waits for its next
     * event ({@link ReadinessPoller}). Under the read timeout, like a read. A TLS connection returns at
     * once and waits in its next read instead. {@code beforeWaiting} runs only when it does wait, so
     * that callers let go of their buffers for the wait and not before each event.
     */
    void awaitReadable(Runnable beforeWaiting) throws IOException {
        if (position < limit || !socket.pollable() || closed.get()) {
            return;
        }
        beforeWaiting.run();
        // nothing buffered: the buffer goes while the stream waits, and the next fill() allocates one
        buffer = NONE;
        position = 0;
        limit = 0;
        socket.awaitReadable();
    }

    /**
     * Ends the waiting of a stream in the poller, so that the connection can serve a request again:
     * back in blocking mode. False when that cannot be (then it must not be reused).
     */
    boolean endPolling() {
        return socket.endPolling();
    }

    /**
     * Whether a read or write has been waiting for longer than {@code timeoutNanos} at {@code now}, or
     * a read of a response head is still waiting past the head's deadline.
     */
    boolean waitingLongerThan(long timeoutNanos, long now) {
        return wait.longerThan(timeoutNanos, now);
    }

    /**
     * Sets when the response head now being read must be whole, {@code nanos} from now; or, with
     * {@link Long#MIN_VALUE}, lifts it once the head is read. Reads still time out after the read
     * timeout each; this bounds them all together, against an upstream that trickles its head.
     */
    void headDeadlineIn(long nanos) {
        wait.headDeadlineIn(nanos);
    }

    /** Waits until at least one byte is buffered (under the read timeout); false at the end of the stream. */
    boolean awaitByte() throws IOException {
        return position < limit || fill();
    }

    /**
     * Notes that the read or write in progress waited too long, before {@link #close()} ends it: it
     * then fails with a {@link SocketTimeoutException}, and {@link #waitingLongerThan} is false from now on.
     */
    void markTimedOut() {
        wait.markTimedOut();
    }

    /** Notes when the connection went back to the pool. */
    void markIdle(long nanoTime) {
        idleSince = nanoTime;
    }

    long idleSince() {
        return idleSince;
    }

    /**
     * Whether an idle connection can no longer be used: the upstream closed it (servers close idle
     * keep-alive connections when they like, often right after an answer, without saying so), or sent
     * something nobody asked for. A pooled connection has no thread watching it, so this is where
     * such a close is noticed, before a request is written into it: one read of the TCP channel that
     * does not wait (a system call of a microsecond or two), so it is done before every reuse. Bytes
     * it finds are discarded with the connection.
     */
    boolean isStale() {
        if (closed.get() || position < limit) {
            return true;
        }
        return socket.readableWhileIdle(buffer.length == 0 ? ByteBuffer.allocate(1) : ByteBuffer.wrap(buffer, 0, 1));
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes the socket, once; a read blocked on another thread then fails. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deadlines.forget(this);
            socket.close();
        }
    }
}
