package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's answer being read: its connection, its body and its place in the upstream's pool.
 * {@link #release()} ends it exactly once, from any thread: the connection goes back to the pool if
 * its body was read to the end and both sides allow keep-alive, and is closed otherwise (which
 * unblocks a read in progress on another thread); then the place is given back.
 */
final class SocketExchange {

    private final ConnectionPool pool;
    private final UpstreamConnection connection;
    private final ResponseBody body;
    private final boolean keepAlive;
    private final PoolPlace place;
    private final AtomicBoolean released = new AtomicBoolean();
    private final boolean longLived;

    SocketExchange(ConnectionPool pool, UpstreamConnection connection, ResponseHead head, PoolPlace place) {
        this(pool, connection, head, place, false);
    }

    /** With {@code longLived}: an event stream it answers with is read without the read timeout. */
    SocketExchange(ConnectionPool pool, UpstreamConnection connection, ResponseHead head, PoolPlace place, boolean longLived) {
        this.longLived = longLived;
        this.pool = pool;
        this.connection = connection;
        this.body = ResponseBody.of(head, connection);
        this.keepAlive = head.keepAlive();
        this.place = place;
    }

    ResponseBody body() {
        return body;
    }

    /** Notes that the body is an event stream, which may hold the connection for long: see {@link UpstreamConnection#carryingStream(boolean)}. */
    void carryingStream() {
        connection.carryingStream(true);
        if (longLived) {
            connection.untimed();
        }
    }

    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            if (keepAlive && body.finished() && connection.buffered() == 0 && !connection.isClosed() && connection.endPolling()) {
                connection.carryingStream(false);
                pool.giveBack(connection);
            } else {
                connection.close();
            }
        } finally {
            place.close();
        }
    }

    /** The body for a caller that reads it as a stream; closing it releases the exchange. */
    InputStream releasingStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return body.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return body.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return body.available();
            }

            @Override
            public void close() {
                release();
            }
        };
    }
}
