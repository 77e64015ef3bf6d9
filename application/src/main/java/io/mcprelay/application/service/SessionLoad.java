package io.mcprelay.application.service;

import io.mcprelay.domain.session.ProxySessionId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What each session holds of one kind of upstream capacity on this instance (requests in flight, or
 * open GET streams), each bounded by the same share. A session at its share gets no {@link Slot}: it is
 * refused at once rather than queued behind every other session for the upstream's shared places.
 * Only sessions holding something have an entry, so the map is bounded by what is in flight.
 */
final class SessionLoad {

    private final int share;
    private final ConcurrentMap<ProxySessionId, Integer> held = new ConcurrentHashMap<>();

    SessionLoad(int share) {
        if (share < 1) {
            throw new IllegalArgumentException("a share is at least 1");
        }
        this.share = share;
    }

    /** The limit per session. */
    int share() {
        return share;
    }

    /** A slot for {@code session}, or empty when it already holds its share. */
    Optional<Slot> take(ProxySessionId session) {
        boolean[] taken = {false};
        held.compute(session, (id, count) -> {
            int now = count == null ? 0 : count;
            if (now >= share) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0] ? Optional.of(new Slot(session)) : Optional.empty();
    }

    /** What {@code session} holds now. */
    int held(ProxySessionId session) {
        return held.getOrDefault(session, 0);
    }

    /** Sessions holding anything now. */
    int sessionsHolding() {
        return held.size();
    }

    /** One unit of a session's share; closing gives it back, exactly once. */
    final class Slot implements AutoCloseable {
        private final ProxySessionId session;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(ProxySessionId session) {
            this.session = session;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                held.computeIfPresent(session, (id, count) -> count <= 1 ? null : count - 1);
            }
        }
    }
}
