package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The socket of an {@link UpstreamConnection}: each read, write and wait in the
 * {@link ReadinessPoller} under the connection's {@link IoWait} clock, so that the
 * {@link IoDeadlines} watchdog can end one that waits too long. A call so ended fails with a
 * {@link SocketTimeoutException}, as with a socket timeout. Reads go to the blocking socket, or to
 * the channel in non-blocking mode while an event stream waits in the poller ({@link PolledChannel}).
 */
final class TimedSocket {

    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final PolledChannel polled;
    private final IoWait wait = new IoWait();
    /** Closes the whole connection: what an interrupt during a wait in the poller does. */
    private final Runnable closeConnection;
    /** Bytes read from the socket over the connection's life: whether an answer has begun to arrive. */
    private long received;

    /**
     * @param channel the TCP connection, in blocking mode
     * @param socket  what is read and written: the channel's socket, or the TLS socket over it
     * @param closeConnection closes the connection this socket belongs to
     */
    TimedSocket(SocketChannel channel, Socket socket, Runnable closeConnection) throws IOException {
        this.channel = channel;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.polled = new PolledChannel(channel);
        this.closeConnection = closeConnection;
    }

    /** The clock of the reads and writes, for the watchdog and the head's deadline. */
    IoWait clock() {
        return wait;
    }

    /** Writes a whole request in one write, under the timeout. */
    void send(byte[] request, int length) throws IOException {
        wait.begin();
        try {
            out.write(request, 0, length);
            out.flush();
        } catch (IOException e) {
            throw wait.timedOut() ? wait.timeout() : e;
        } finally {
            wait.end();
        }
    }

    /** One read of the socket, under the read timeout; -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        if (polled.active()) {
            return polledRead(b, off, len);
        }
        wait.begin();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw wait.timedOut() ? wait.timeout() : e;
        } finally {
            wait.end();
        }
        if (n < 0 && wait.timedOut()) {
            throw wait.timeout();
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
                throw wait.timedOut() ? wait.timeout() : e;
            }
            if (n != 0) {
                if (n < 0 && wait.timedOut()) {
                    throw wait.timeout();
                }
                if (n > 0) {
                    received += n;
                }
                return n;
            }
            awaitPolled();
        }
    }

    /** Whether the socket is the channel's own (plain TCP), which can wait in the poller; not TLS. */
    boolean pollable() {
        return socket == channel.socket();
    }

    /** Waits in the poller until the channel is readable (or at its end, or closed), under the read timeout. */
    void awaitReadable() throws IOException {
        awaitPolled();
        if (wait.timedOut()) {
            throw wait.timeout();
        }
    }

    /** A wait in the poller, under the read timeout. */
    private void awaitPolled() throws IOException {
        wait.begin();
        try {
            polled.awaitReadable();
        } finally {
            wait.end();
        }
        if (Thread.currentThread().isInterrupted()) {
            // as a blocking socket read on a virtual thread does: the interrupt closes the socket
            closeConnection.run();
            throw new SocketException("Closed by interrupt");
        }
    }

    /** Takes the channel out of the poller, back in blocking mode; false when that cannot be. */
    boolean endPolling() {
        return polled.end();
    }

    /**
     * One read of the TCP channel that does not wait, into {@code probe}: whether an idle connection
     * has something to read (bytes nobody asked for, or its end); true when it failed too.
     */
    boolean readableWhileIdle(ByteBuffer probe) {
        try {
            synchronized (channel.blockingLock()) {
                channel.configureBlocking(false);
                try {
                    return channel.read(probe) != 0;
                } finally {
                    channel.configureBlocking(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Closes the socket and its channel; a read blocked on another thread then fails. */
    void close() {
        try {
            socket.close();
            channel.close();
        } catch (IOException ignored) {
            // it is being discarded either way
        }
        polled.closed();
    }
}
