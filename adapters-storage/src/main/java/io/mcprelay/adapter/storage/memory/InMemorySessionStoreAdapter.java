package io.mcprelay.adapter.storage.memory;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The session store of a single mcp-relay instance: sessions live in this JVM and are lost on restart.
 *
 * <p>Sessions sit in a {@link ConcurrentHashMap}; updates of one session ({@link #touch},
 * {@link #bindUpstream}) are atomic per key, so concurrent updates never lose each other. Creates
 * are serialized by one lock, which makes "id free and capacity left, then store" atomic; every
 * other operation only removes or replaces, so it cannot push the store over its bound.
 *
 * <p>Expired sessions are invisible to every method. They are removed lazily when a method meets
 * them, by {@link #purgeExpired()}, and by {@link #create} before it refuses for capacity, so they
 * never take a live session's slot.
 *
 * <p>An index of each owner's session ids ({@link #sessionsOf}, {@link #busiestOwner}) follows every
 * store and removal; an owner's entry goes when its last session does, so the index is bounded by the
 * sessions held.
 */
public final class InMemorySessionStoreAdapter implements SessionStorePort {

    /** The capacity of {@link #withDefaultCapacity}: 100,000 sessions. */
    public static final int DEFAULT_MAX_SESSIONS = 100_000;

    private final SessionPolicy policy;
    private final ClockPort clock;
    private final int maxSessions;
    private final ConcurrentHashMap<ProxySessionId, Session> sessions = new ConcurrentHashMap<>();
    private final ReentrantLock createLock = new ReentrantLock();
    private final ConcurrentHashMap<ClientKey, Set<ProxySessionId>> owned = new ConcurrentHashMap<>();

    /**
     * @param policy      decides when a session has expired
     * @param clock       the store's notion of now
     * @param maxSessions the most live sessions held at once, at least 1
     */
    public InMemorySessionStoreAdapter(SessionPolicy policy, ClockPort clock, int maxSessions) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("a session store holds at least 1 session, not " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    /** A store holding at most {@value #DEFAULT_MAX_SESSIONS} sessions. */
    public static InMemorySessionStoreAdapter withDefaultCapacity(SessionPolicy policy, ClockPort clock) {
        return new InMemorySessionStoreAdapter(policy, clock, DEFAULT_MAX_SESSIONS);
    }

    @Override
    public CreateOutcome create(Session session) {
        Objects.requireNonNull(session, "session");
        createLock.lock();
        try {
            if (find(session.id()).isPresent()) {
                return CreateOutcome.ID_TAKEN;
            }
            if (sessions.size() >= maxSessions) {
                purgeExpired();
                if (sessions.size() >= maxSessions) {
                    return CreateOutcome.CAPACITY_REACHED;
                }
            }
            sessions.put(session.id(), session);
            owned.compute(session.owner(), (owner, ids) -> {
                Set<ProxySessionId> held = ids == null ? ConcurrentHashMap.newKeySet() : ids;
                held.add(session.id());
                return held;
            });
            return CreateOutcome.CREATED;
        } finally {
            createLock.unlock();
        }
    }

    @Override
    public Optional<Session> find(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (policy.isExpired(session, clock.now())) {
            if (sessions.remove(id, session)) {
                unindex(session);
            }
            return Optional.empty();
        }
        return Optional.of(session);
    }

    @Override
    public Optional<Session> touch(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        Instant now = clock.now();
        return Optional.ofNullable(sessions.computeIfPresent(id,
                (key, session) -> policy.isExpired(session, now) ? unindexed(session) : session.seenAt(now)));
    }

    @Override
    public Optional<Session> bindUpstream(ProxySessionId id, UpstreamSessionId upstreamSessionId) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(upstreamSessionId, "upstreamSessionId");
        Instant now = clock.now();
        return Optional.ofNullable(sessions.computeIfPresent(id,
                (key, session) -> policy.isExpired(session, now) ? unindexed(session) : session.boundTo(upstreamSessionId)));
    }

    @Override
    public boolean delete(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        Session removed = sessions.remove(id);
        if (removed != null) {
            unindex(removed);
        }
        return removed != null && !policy.isExpired(removed, clock.now());
    }

    /** {@inheritDoc} Each call sorts the matching live sessions: O(n log n) in the sessions held. */
    @Override
    public SessionPage list(SessionQuery query) {
        Objects.requireNonNull(query, "query");
        Instant now = clock.now();
        return SessionListing.page(sessions.values().stream().filter(s -> !policy.isExpired(s, now)).toList(), query);
    }

    @Override
    public Map<ProxySessionId, Session> findAll(Collection<ProxySessionId> ids) {
        Map<ProxySessionId, Session> found = new LinkedHashMap<>();
        for (ProxySessionId id : ids) {
            find(id).ifPresent(session -> found.put(id, session));
        }
        return Collections.unmodifiableMap(found);
    }

    @Override
    public int deleteAll(Collection<ProxySessionId> ids) {
        int removed = 0;
        for (ProxySessionId id : ids) {
            removed += delete(id) ? 1 : 0;
        }
        return removed;
    }

    @Override
    public int purgeExpired() {
        Instant now = clock.now();
        int dropped = 0;
        for (Map.Entry<ProxySessionId, Session> entry : sessions.entrySet()) {
            if (policy.isExpired(entry.getValue(), now) && sessions.remove(entry.getKey(), entry.getValue())) {
                unindex(entry.getValue());
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public long count() {
        Instant now = clock.now();
        return sessions.values().stream().filter(s -> !policy.isExpired(s, now)).count();
    }

    /** {@inheritDoc} Reads the owner's entry of the index: O(sessions it holds). */
    @Override
    public List<Session> sessionsOf(ClientKey owner, int max) {
        Objects.requireNonNull(owner, "owner");
        List<Session> held = new ArrayList<>();
        for (ProxySessionId id : owned.getOrDefault(owner, Set.of())) {
            if (held.size() >= max) {
                break;
            }
            find(id).ifPresent(held::add);
        }
        return List.copyOf(held);
    }

    /** {@inheritDoc} Purges expired sessions first (O(sessions held)); it is asked when the store is full. */
    @Override
    public Optional<OwnerCount> busiestOwner() {
        purgeExpired();
        return owned.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> new OwnerCount(e.getKey(), e.getValue().size()));
    }

    /** Takes a removed session out of its owner's entry (and the entry away once empty). */
    private void unindex(Session session) {
        owned.computeIfPresent(session.owner(), (owner, ids) -> {
            ids.remove(session.id());
            return ids.isEmpty() ? null : ids;
        });
    }

    /** {@link #unindex}, then null: for a compute that removes {@code session}. */
    private Session unindexed(Session session) {
        unindex(session);
        return null;
    }
}
