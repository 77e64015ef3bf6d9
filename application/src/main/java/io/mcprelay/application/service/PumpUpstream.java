package io.mcprelay.application.service;

import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.stream.SseEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The upstream side of a {@link StreamPump}: the event stream it reads, where the upstream is in
 * it (its last event id and {@code retry} hint), and the re-attachment that replaces that stream
 * after an early close, a break, or a silence the pump polls through. What the stream still owes
 * (and so whether to re-attach at all) is the pump's to decide.
 */
final class PumpUpstream {

    private static final System.Logger LOG = System.getLogger(PumpUpstream.class.getName());
    /** How long to wait before re-attaching when the upstream gave no {@code retry} hint. */
    private static final long DEFAULT_RETRY_MILLIS = 1_000L;
    /** The longest {@code retry} hint honoured. */
    private static final long MAX_RETRY_MILLIS = 30_000L;

    /** The upstream stream being read; replaced when the pump re-attaches. */
    private volatile UpstreamEvents source;
    private final UpstreamReconnect reconnect;
    private volatile boolean reattached;
    private volatile boolean repolling;
    private volatile long lastEventNanos = System.nanoTime();
    private Optional<String> cursor = Optional.empty();
    private Optional<Long> retryHint = Optional.empty();

    PumpUpstream(UpstreamEvents source, UpstreamReconnect reconnect) {
        this.source = source;
        this.reconnect = reconnect;
    }

    /** The next read of the current upstream stream. */
    UpstreamEvents.Read next() {
        return source.next();
    }

    /** Notes an upstream event's id (the cursor to re-attach from) and {@code retry} hint. */
    void saw(SseEvent event) {
        event.retryMillis().ifPresent(retry -> retryHint = Optional.of(retry));
        event.id().ifPresent(id -> cursor = Optional.of(id));
    }

    /** An event came: the upstream is not silent. */
    void eventArrived() {
        lastEventNanos = System.nanoTime();
    }

    /** The upstream's last event id, if it gave one. */
    Optional<String> cursor() {
        return cursor;
    }

    /** The upstream's last {@code retry} hint, if it gave one. */
    Optional<Long> retryHint() {
        return retryHint;
    }

    /** Whether {@link #repollIfStale} closed the stream to poll it (and clears that): the read that ended is no end. */
    boolean takeRepoll() {
        if (!repolling) {
            return false;
        }
        repolling = false;
        return true;
    }

    /**
     * Resumes the upstream after its last event id, after its {@code retry} hint when {@code wait}
     * (1 s without one, at most 30 s), unless {@code released} turns true meanwhile; false when there
     * is no id to resume from, or the upstream did not resume. {@code name} is for the log.
     */
    boolean reattach(boolean wait, BooleanSupplier released, String name) {
        if (cursor.isEmpty()) {
            return false;
        }
        long waitMillis = wait ? Math.min(retryHint.orElse(DEFAULT_RETRY_MILLIS), MAX_RETRY_MILLIS) : 0;
        try {
            Thread.sleep(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (released.getAsBoolean()) {
            return false;
        }
        Optional<UpstreamEvents> resumed = reconnect.resume(cursor.get());
        if (resumed.isEmpty()) {
            return false;
        }
        UpstreamEvents previous = source;
        source = resumed.get();
        previous.close();
        if (released.getAsBoolean()) {
            source.close();
        }
        markReattached();
        LOG.log(System.Logger.Level.DEBUG, "stream {0}: re-attached upstream after {1}", name, cursor.get());
        return true;
    }

    /** The stream read now is a re-attached one (after an early close, or taking over from a dead instance). */
    void markReattached() {
        reattached = true;
        lastEventNanos = System.nanoTime();
    }

    boolean reattached() {
        return reattached;
    }

    /**
     * For a re-attached stream silent for {@code after} (and with an id to resume from): drops the
     * quiet connection, so the pump's read ends and it re-attaches from the latest id.
     */
    void repollIfStale(Duration after) {
        if (reattached && cursor.isPresent() && System.nanoTime() - lastEventNanos > after.toNanos()) {
            repolling = true;
            lastEventNanos = System.nanoTime();
            source.close();
        }
    }

    /** How long until the upstream's silence reaches {@code after} (negative once it has). */
    Duration untilStale(Duration after) {
        return after.minusNanos(System.nanoTime() - lastEventNanos);
    }

    /** Closes the stream read now (the pump's blocked read returns). */
    void close() {
        source.close();
    }
}
