package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an upstream answer, read off its connection as framed by its head. It says whether it
 * was read to its end ({@link #finished()}), which is when the connection may serve another request.
 * Closing it does nothing: the {@link SocketExchange} it belongs to releases the connection.
 */
abstract sealed class ResponseBody extends InputStream
        permits ResponseBody.Empty, ResponseBody.FixedLength, ResponseBody.UntilClose, ChunkedBody {

    final UpstreamConnection connection;
    /** Volatile: a stream may be closed, and its connection given back, from another thread. */
    private volatile boolean finished;

    ResponseBody(UpstreamConnection connection) {
        this.connection = connection;
    }

    static ResponseBody of(ResponseHead head, UpstreamConnection connection) {
        return switch (head.framing()) {
            case NONE -> new Empty(connection);
            case LENGTH -> head.contentLength() == 0 ? new Empty(connection) : new FixedLength(connection, head.contentLength());
            case CHUNKED -> new ChunkedBody(connection);
            case UNTIL_CLOSE -> new UntilClose(connection);
        };
    }

    /** Whether the body was read to its end (and no byte of it is left on the connection). */
    final boolean finished() {
        return finished;
    }

    final void markFinished() {
        finished = true;
    }

    /**
     * Waits until the body has bytes at hand or the socket has some to read, without reading past
     * what it holds: where an event stream waits between events, with a shallow stack (see
     * {@link ReadinessPoller}). The next read may still wait, if what arrives is not yet a whole event.
     * {@code beforeWaiting} runs only when it does wait.
     */
    void awaitInput(Runnable beforeWaiting) throws IOException {
        if (!finished) {
            connection.awaitReadable(beforeWaiting);
        }
    }

    @Override
    public final int read() throws IOException {
        if (finished) {
            return -1; // the usual single-byte read: the check for more after a Content-Length body
        }
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /** A body that is empty by its framing (204, 304, {@code Content-Length: 0}). */
    static final class Empty extends ResponseBody {
        Empty(UpstreamConnection connection) {
            super(connection);
            markFinished();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return -1;
        }
    }

    /** {@code Content-Length} bytes; the connection closing before them is a failure. */
    static final class FixedLength extends ResponseBody {
        private long remaining;

        FixedLength(UpstreamConnection connection, long length) {
            super(connection);
            this.remaining = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = connection.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new UpstreamClosedEarlyException();
            }
            remaining -= n;
            if (remaining == 0) {
                markFinished();
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(connection.buffered(), remaining);
        }
    }

    /** Everything until the upstream closes the connection, which is then the body's proper end. */
    static final class UntilClose extends ResponseBody {
        UntilClose(UpstreamConnection connection) {
            super(connection);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (finished()) {
                return -1;
            }
            int n = connection.read(b, off, len);
            if (n < 0) {
                markFinished();
            }
            return n;
        }
    }
}
