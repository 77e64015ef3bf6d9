package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
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
 * <p>The socket has no read timeout of its own: each blocking read and write notes when it began,
 * and {@link IoDeadlines} closes the connection when one waits too long ({@link #markTimedOut()}); the
 * call then fails with a {@link SocketTimeoutException}, as with a socket timeout.
 */
final class UpstreamConnection implements AutoCloseable {

    static final int BUFFER_SIZE = 2048;
    /**
     * The buffer of a connection carrying an event stream: only chunk-size lines and what arrives
     * with them pass through it, since the event parser's reads of at least this size go straight
     * from the socket into the parser's own buffer.
     */
    static final int STREAM_BUFFER_SIZE = 256;
    private static final long NOT_WAITING = Long.MIN_VALUE;
    private static final byte[] NONE = new byte[0];

    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String origin;
    private final IoDeadlines deadlines;
    /** Set while the connection carries a stream read without a timeout ({@link #untimed()}). */
    private volatile boolean untimed;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When the read or write in progress began, or {@link #NOT_WAITING}. */
    private volatile long waitingSince = NOT_WAITING;
    private volatile boolean timedOut;
    /** When the response head being read must be whole ({@link System#nanoTime()}), or {@link #NOT_WAITING}. */
    private volatile long headDeadline = NOT_WAITING;
    /** Why the wait in progress was ended: the message of the {@link SocketTimeoutException} it fails with. */
    private volatile String timeoutMessage = "Read timed out";
    /** The channel's waits in the {@link ReadinessPoller} while an event stream waits for its events; plain TCP only. */
    private final PolledChannel polled;

    private byte[] buffer = new byte[BUFFER_SIZE];
    /** What the buffer is brought back to once empty: {@link #BUFFER_SIZE}, or {@link #STREAM_BUFFER_SIZE} for a stream. */
    private int preferredSize = BUFFER_SIZE;
    private int position;
    private int limit;
    private long idleSince;
    /** Bytes read from the socket over the connection's life: whether an answer has begun to arrive. */
    private long received;

    /**
     * @param channel the TCP connection, in blocking mode
     * @param socket  what is read and written: the channel's socket, or the TLS socket over it;
     *                connected (and, for https, handshaken), without a read timeout
     * @param origin  the {@code scheme://host:port} it is connected to; pooled connections are only
     *                reused for the same origin
     * @param deadlines what times out its reads and writes; the caller has it {@linkplain IoDeadlines#watch watch} this
     */
    UpstreamConnection(SocketChannel channel, Socket socket, String origin, IoDeadlines deadlines) throws IOException {
        this.channel = channel;
        this.polled = new PolledChannel(channel);
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.origin = origin;
        this.deadlines = deadlines;
    }

    String origin() {
        return origin;
    }

    /** Writes a whole request in one write; never while the connection carries a stream. */
    void send(byte[] request, int length) throws IOException {
        waitingSince = System.nanoTime();
        try {
            out.write(request, 0, length);
            out.flush();
        } catch (IOException e) {
            throw timedOut ? timeout() : e;
        } finally {
            waitingSince = NOT_WAITING;
        }
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
            untimed = false;
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
        untimed = true;
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
                return socketRead(b, off, len);
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
        int n = socketRead(buffer, limit, buffer.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    /** One blocking read of the socket, under the read timeout. */
    private int socketRead(byte[] b, int off, int len) throws IOException {
        if (polled.active()) {
            return polledRead(b, off, len);
        }
        waitingSince = System.nanoTime();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw timedOut ? timeout() : e;
        } finally {
            waitingSince = NOT_WAITING;
        }
        if (n < 0 && timedOut) {
            throw timeout();
        }
        if (n > 0) {
            received += n;
        }
        return n;
    }

    /**
     * Bytes read from the socket so far. Unchanged across a request's exchange means that not one
     * byte of an answer came: what tells a pooled connection the upstream closed while idle (to be
     * retried once on a fresh one) from an answer that broke off.
     */
    long received() {
        return received;
    }

    /** A read of a channel in non-blocking mode: waits in the poller until it gets bytes or the end. */
    private int polledRead(byte[] b, int off, int len) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(b, off, len);
        while (true) {
            int n;
            try {
                n = channel.read(target);
            } catch (IOException e) {
                throw timedOut ? timeout() : e;
            }
            if (n != 0) {
                if (n < 0 && timedOut) {
                    throw timeout();
                }
                if (n > 0) {
                    received += n;
                }
                return n;
            }
            awaitPolled();
        }
    }

    /**
     * Waits, with the stack of the caller and no deeper, until the socket has bytes to read (or is at
     * its end, or closed), unless some are buffered already: where an event stream waits for its next
     * event ({@link ReadinessPoller}). Under the read timeout, like a read. A TLS connection returns at
     * once and waits in its next read instead. {@code beforeWaiting} runs only when it does wait, so
     * that callers let go of their buffers for the wait and not before each event.
     */
    void awaitReadable(Runnable beforeWaiting) throws IOException {
        if (position < limit || socket != channel.socket() || closed.get()) {
            return;
        }
        beforeWaiting.run();
        // nothing buffered: the buffer goes while the stream waits, and the next fill() allocates one
        buffer = NONE;
        position = 0;
        limit = 0;
        awaitPolled();
        if (timedOut) {
            throw timeout();
        }
    }

    /** A wait in the poller, under the read timeout. */
    private void awaitPolled() throws IOException {
        waitingSince = System.nanoTime();
        try {
            polled.awaitReadable();
        } finally {
            waitingSince = NOT_WAITING;
        }
        if (Thread.currentThread().isInterrupted()) {
            // as a blocking socket read on a virtual thread does: the interrupt closes the socket
            close();
            throw new SocketException("Closed by interrupt");
        }
    }

    /**
     * Ends the waiting of a stream in the poller, so that the connection can serve a request again:
     * back in blocking mode. False when that cannot be (then it must not be reused).
     */
    boolean endPolling() {
        return polled.end();
    }

    /**
     * Whether a read or write has been waiting for longer than {@code timeoutNanos} at {@code now}, or
     * a read of a response head is still waiting past the head's deadline.
     */
    boolean waitingLongerThan(long timeoutNanos, long now) {
        long since = waitingSince;
        if (since == NOT_WAITING || timedOut) {
            return false;
        }
        long deadline = headDeadline;
        if (deadline != NOT_WAITING && now - deadline > 0) {
            timeoutMessage = "the upstream's response head took longer than its deadline";
            return true;
        }
        return !untimed && now - since > timeoutNanos;
    }

    /**
     * Sets when the response head now being read must be whole, {@code nanos} from now; or, with
     * {@link Long#MIN_VALUE}, lifts it once the head is read. Reads still time out after the read
     * timeout each; this bounds them all together, against an upstream that trickles its head.
     */
    void headDeadlineIn(long nanos) {
        headDeadline = nanos == Long.MIN_VALUE ? NOT_WAITING : System.nanoTime() + nanos;
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
        timedOut = true;
    }

    private SocketTimeoutException timeout() {
        return new SocketTimeoutException(timeoutMessage);
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
        boolean stale;
        try {
            synchronized (channel.blockingLock()) {
                channel.configureBlocking(false);
                try {
                    stale = channel.read(buffer.length == 0 ? ByteBuffer.allocate(1) : ByteBuffer.wrap(buffer, 0, 1)) != 0;
                } finally {
                    channel.configureBlocking(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            stale = true;
        }
        return stale;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes the socket, once; a read blocked on another thread then fails. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deadlines.forget(this);
            try {
                socket.close();
                channel.close();
            } catch (IOException ignored) {
                // it is being discarded either way
            }
            polled.closed();
        }
    }
}
