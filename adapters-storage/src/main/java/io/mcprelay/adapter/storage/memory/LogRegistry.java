package io.mcprelay.adapter.storage.memory;

import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which stream logs exist: lookup by stream, an index by session, and the {@code maxStreams} bound.
 *
 * <p>Lookups read a {@link ConcurrentHashMap} without locking. Every structural change (open,
 * drop, the session index) runs under one lock, which may take a log's own lock inside it, never
 * the other way round: a {@link StreamLog} never calls back here. The session index only names
 * streams in the map, so it is bounded by {@code maxStreams} too.
 */
final class LogRegistry {

    private final ReplayLogLimits limits;
    private final ConcurrentHashMap<StreamId, StreamLog> logs = new ConcurrentHashMap<>();
    private final Map<ProxySessionId, Set<StreamId>> bySession = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private long opened;

    LogRegistry(ReplayLogLimits limits) {
        this.limits = limits;
    }

    /** Opens a new log, first making room; throws if a live log already has this id. */
    void open(StreamInfo info, Instant now) {
        lock.lock();
        try {
            StreamLog existing = logs.get(info.id());
            if (existing != null) {
                if (existing.livesAt(now)) {
                    throw new IllegalStateException("stream " + info.id() + " already has a replay log");
                }
                drop(existing);
            }
            if (logs.size() >= limits.maxStreams()) {
                makeRoom(now);
            }
            logs.put(info.id(), new StreamLog(info, limits, opened++, now));
            bySession.computeIfAbsent(info.session(), session -> new LinkedHashSet<>()).add(info.id());
        } finally {
            lock.unlock();
        }
    }

    /** The live log of {@code stream}; an expired one met here is dropped. */
    Optional<StreamLog> find(StreamId stream, Instant now) {
        StreamLog log = logs.get(stream);
        if (log == null) {
            return Optional.empty();
        }
        if (!log.livesAt(now)) {
            dropLocked(log);
            return Optional.empty();
        }
        return Optional.of(log);
    }

    /** The live logs of {@code session}, the last opened first. */
    List<StreamLog> liveOf(ProxySessionId session, Instant now) {
        lock.lock();
        try {
            List<StreamLog> live = new java.util.ArrayList<>();
            for (StreamId id : bySession.getOrDefault(session, Set.of())) {
                StreamLog log = logs.get(id);
                if (log != null && log.livesAt(now)) {
                    live.add(log);
                }
            }
            live.sort(java.util.Comparator.comparingLong(StreamLog::openOrder).reversed());
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every log of {@code session}; counts those that were still live. */
    int dropSession(ProxySessionId session, Instant now) {
        lock.lock();
        try {
            int live = 0;
            for (StreamId id : List.copyOf(bySession.getOrDefault(session, Set.of()))) {
                StreamLog log = logs.get(id);
                if (log != null) {
                    live += log.livesAt(now) ? 1 : 0;
                    drop(log);
                }
            }
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every expired log; how many. Scans all logs. */
    int purgeExpired(Instant now) {
        lock.lock();
        try {
            int dropped = 0;
            for (StreamLog log : List.copyOf(logs.values())) {
                if (!log.livesAt(now)) {
                    drop(log);
                    dropped++;
                }
            }
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees one slot at least: expired logs go first (they no longer exist), else the oldest
     * complete log, else the oldest log. One scan of all logs, so an open into a full registry
     * costs O(maxStreams).
     */
    private void makeRoom(Instant now) {
        StreamLog oldest = null;
        StreamLog oldestComplete = null;
        boolean freed = false;
        for (StreamLog log : List.copyOf(logs.values())) {
            if (!log.livesAt(now)) {
                drop(log);
                freed = true;
            } else if (log.isComplete()) {
                oldestComplete = older(oldestComplete, log);
            } else {
                oldest = older(oldest, log);
            }
        }
        if (!freed) {
            drop(oldestComplete != null ? oldestComplete : oldest);
        }
    }

    private static StreamLog older(StreamLog current, StreamLog candidate) {
        return current == null || candidate.openOrder() < current.openOrder() ? candidate : current;
    }

    private void dropLocked(StreamLog log) {
        lock.lock();
        try {
            drop(log);
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code log} if it is still the one registered for its stream, and wakes its waiters. Caller holds the lock. */
    private void drop(StreamLog log) {
        StreamId id = log.info().id();
        if (logs.remove(id, log)) {
            Set<StreamId> streams = bySession.get(log.info().session());
            if (streams != null) {
                streams.remove(id);
                if (streams.isEmpty()) {
                    bySession.remove(log.info().session());
                }
            }
        }
        log.drop();
    }
}
