package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.stream.SseEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A supervised stream without a replay log, lease or re-attachment: a 2026-07-28 answer stream
 * ({@link ModernStream}, and bridge (b)'s {@link BridgeOut}). The client leaving is the cancellation, so
 * such a stream owes its client nothing once it is gone; the supervisor only sends heartbeats while the
 * upstream is silent and releases the upstream when the client is found gone.
 */
abstract class UnloggedStream implements SupervisedStream {

    private final DownstreamPort.Stream out;
    private final AtomicBoolean attached = new AtomicBoolean(true);
    private volatile long lastWriteNanos = System.nanoTime();

    UnloggedStream(DownstreamPort.Stream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes {@code event} to the client; false (and detached from then on) if the client is gone. */
    final boolean write(SseEvent event) {
        if (!attached.get()) {
            return false;
        }
        if (out.emit(event)) {
            lastWriteNanos = System.nanoTime();
            return true;
        }
        attached.set(false);
        return false;
    }

    @Override
    public final void tick() {
        // no log to renew, no lease to check
    }

    @Override
    public final void repollIfStale(Duration after) {
        // never re-attached: the modern era has no resumption
    }

    @Override
    public final boolean reattached() {
        return false;
    }

    @Override
    public final boolean attached() {
        return attached.get();
    }

    @Override
    public final boolean attended() {
        return attached.get();
    }

    @Override
    public final long lastWriteNanos() {
        return lastWriteNanos;
    }

    @Override
    public final boolean heartbeat() {
        if (!attached.get()) {
            return false;
        }
        if (out.comment("")) {
            lastWriteNanos = System.nanoTime();
            return true;
        }
        attached.set(false);
        return false;
    }

    /** A client that left cancelled its request: nothing is kept for it, no grace. */
    @Override
    public final boolean owesNothing() {
        return true;
    }
}
