package io.mcprelay.adapter.http.in;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ServerConnectionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One client connection as {@link ClientConnections} keeps it: the bytes Helidon reads come through
 * {@link #get()}, which checks their framing ({@link RequestFraming}) and notes, while it waits for
 * more, by when they must come. The watchdog ends a wait that outlives its deadline by shutting the
 * socket's input down, which wakes the blocked read; {@link #get()} then answers 408 (a head or body
 * too slow) or closes quietly (an idle keep-alive connection, or one evicted for a newer one).
 */
final class ClientConnection implements Supplier<byte[]> {

    static final int LIVE = 0;
    static final int TIMED_OUT = 1;
    static final int EVICTED = 2;

    private final ClientConnections owner;
    private final SocketChannel channel;
    private final long acceptedAt;
    private final RequestFraming framing = new RequestFraming();
    private final AtomicInteger ended = new AtomicInteger(LIVE);
    private final AtomicBoolean holdsSlot = new AtomicBoolean(true);
    private volatile HelidonSocket socket;
    /** An answer was refused once: from then on the connection only closes (one answer per broken request). */
    private boolean refused;

    // written by the reader thread before and after each wait, read by the watchdog and by eviction
    private volatile boolean waiting;
    private volatile long deadline;
    private volatile long waitingSince;
    private volatile boolean evictable;

    ClientConnection(ClientConnections owner, SocketChannel channel, long acceptedAt) {
        this.owner = owner;
        this.channel = channel;
        this.acceptedAt = acceptedAt;
    }

    void attach(HelidonSocket helidonSocket) {
        this.socket = helidonSocket;
    }

    SocketChannel channel() {
        return channel;
    }

    @Override
    public byte[] get() {
        if (refused) {
            throw new CloseConnectionException("after a refused request");
        }
        while (true) {
            FramingViolation violation = framing.violation();
            if (violation != null) {
                throw refusal(violation);
            }
            RequestFraming.Phase phase = framing.phase();
            if (phase == RequestFraming.Phase.CLOSED) {
                throw new CloseConnectionException("the last request asked to close the connection");
            }
            byte[] bytes = read(phase);
            if (bytes == null) {
                return null;
            }
            byte[] passed = framing.feed(bytes, System.nanoTime());
            if (passed.length > 0) {
                return passed;
            }
        }
    }

    private byte[] read(RequestFraming.Phase phase) {
        arm(phase);
        byte[] bytes;
        try {
            bytes = socket.get();
        } catch (UncheckedIOException e) {
            if (ended.get() == LIVE) {
                throw new ServerConnectionException("Failed to get data from socket", e);
            }
            bytes = null;
        } finally {
            waiting = false;
            evictable = false;
        }
        if (bytes == null && ended.get() == TIMED_OUT && phase != RequestFraming.Phase.IDLE) {
            throw refusal(new FramingViolation(408, phase == RequestFraming.Phase.HEAD
                    ? "Request Timeout: the request head took longer than " + owner.limits().headerTimeout().toMillis() + " ms"
                    : "Request Timeout: the request body took longer than " + owner.limits().bodyTimeout().toMillis() + " ms"));
        }
        if (bytes == null && ended.get() != LIVE) {
            throw new CloseConnectionException(ended.get() == EVICTED ? "evicted for a newer connection" : "idle for too long");
        }
        return bytes;
    }

    private void arm(RequestFraming.Phase phase) {
        long now = System.nanoTime();
        ClientLimits limits = owner.limits();
        switch (phase) {
            case IDLE -> {
                boolean first = framing.requests() == 0;
                waitingSince = first ? acceptedAt : now;
                deadline = first ? acceptedAt + limits.headerTimeout().toNanos() : now + limits.idleTimeout().toNanos();
                evictable = true;
            }
            case HEAD -> {
                waitingSince = framing.headStartedAt();
                deadline = framing.headStartedAt() + limits.headerTimeout().toNanos();
                evictable = true;
            }
            default -> {
                waitingSince = framing.bodyStartedAt();
                deadline = framing.bodyStartedAt() + limits.bodyTimeout().toNanos();
                evictable = false;
            }
        }
        waiting = true;
    }

    /** Ends a wait past its deadline; called by the watchdog. {@code true} if it ended one. */
    boolean checkDeadlineEnded(long now) {
        return waiting && now - deadline >= 0 && end(TIMED_OUT);
    }

    /** When this connection began waiting for a request head, or {@link Long#MAX_VALUE} when it is busy with a request. */
    long evictableSince() {
        return waiting && evictable ? waitingSince : Long.MAX_VALUE;
    }

    /** Ends this connection's wait for {@code why}; {@code false} if it had already ended. */
    boolean end(int why) {
        if (!ended.compareAndSet(LIVE, why)) {
            return false;
        }
        freeSlot();
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            // already closed: its reader has ended or is ending
        }
        return true;
    }

    /** The connection has ended: its place is given back and the watchdog forgets it. */
    void ended() {
        owner.forget(this);
    }

    /** Gives this connection's place back (once). */
    void freeSlot() {
        if (holdsSlot.compareAndSet(true, false)) {
            owner.slotFreed();
        }
    }

    private RequestException refusal(FramingViolation violation) {
        refused = true;
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.create(violation.status()))
                .setKeepAlive(false)
                .message(violation.getMessage())
                .safeMessage(true)
                .cause(violation)
                .build();
    }
}
