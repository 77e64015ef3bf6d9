package io.mcprelay.application.port.out;

import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where sessions live: in this JVM, or in a store shared by every mcp-relay instance.
 *
 * <p><b>Contract</b> (the contract test suite in adapters-storage checks every store against it):
 * <ul>
 *   <li>A store is constructed with a {@link io.mcprelay.domain.session.SessionPolicy} and a
 *       {@link ClockPort}. A session expires when its idle TTL has passed since its
 *       {@code lastSeenAt}; from then on every method behaves as if it had been deleted.</li>
 *   <li>{@link #create} is atomic: of two creates with the same id exactly one succeeds.</li>
 *   <li>{@link #touch} is the sliding TTL: it sets {@code lastSeenAt} to now and restarts the TTL.
 *       A store shared by several instances may throttle the renewal to once per interval per
 *       session and instance, answering in between with the session as last renewed; it then says
 *       so, and its {@code lastSeenAt} lags the last touch by at most that interval. The first
 *       touch after a create, and any touch with throttling off, renews.</li>
 *   <li>Sizes are bounded: a store holds at most its configured number of sessions, and pages hold
 *       at most {@link SessionQuery#MAX_LIMIT} sessions.</li>
 *   <li>Each session keeps its {@linkplain Session#owner() owner}; {@link #sessionsOf} and
 *       {@link #busiestOwner} count live sessions per owner (for the per-client quota). A store shared
 *       by several instances keeps these counts next to the sessions, updated in the same atomic
 *       steps; expired sessions leave the counts when the store next prunes them.</li>
 *   <li>Methods are thread-safe and blocking. A store that cannot reach its backend throws
 *       {@link StoreUnavailableException}; it never answers "absent" for "unreachable".</li>
 * </ul>
 */
public interface SessionStorePort {

    /** Outcome of {@link #create}. */
    enum CreateOutcome {
        CREATED,
        /** A live session already has this id; nothing was changed. */
        ID_TAKEN,
        /** The store holds its maximum number of sessions; nothing was stored. */
        CAPACITY_REACHED
    }

    /** A client and how many live sessions it holds. */
    record OwnerCount(ClientKey owner, long sessions) {
        public OwnerCount {
            Objects.requireNonNull(owner, "owner");
        }
    }

    /** Stores a new session, atomically, unless its id is taken or the store is full. */
    CreateOutcome create(Session session);

    /** The live session with this id, without renewing it. */
    Optional<Session> find(ProxySessionId id);

    /**
     * Renews the session's TTL, setting {@code lastSeenAt} to now (unless the store throttles renewals,
     * see the contract above); the renewed session, or empty if none lives.
     */
    Optional<Session> touch(ProxySessionId id);

    /**
     * Records the upstream's session id for this session, without renewing its TTL; the updated
     * session, or empty if none lives.
     */
    Optional<Session> bindUpstream(ProxySessionId id, UpstreamSessionId upstreamSessionId);

    /** Removes the session; {@code true} if a live one was removed. */
    boolean delete(ProxySessionId id);

    /**
     * One page of live sessions matching the query, ordered by creation time then id, with the total
     * that match. Cursors are positions, not offsets: sessions deleted between two pages never make
     * a later page skip or repeat one. A cursor this store did not issue is refused with
     * {@link IllegalArgumentException}.
     */
    SessionPage list(SessionQuery query);

    /** The live sessions among {@code ids} (absent ones are left out). */
    Map<ProxySessionId, Session> findAll(Collection<ProxySessionId> ids);

    /** Removes the live sessions among {@code ids}; how many were removed. */
    int deleteAll(Collection<ProxySessionId> ids);

    /** Drops expired sessions now (stores whose backend expires keys itself may do nothing); how many were dropped. */
    int purgeExpired();

    /** The number of live sessions. */
    long count();

    /** The live sessions of {@code owner}: all of them if it holds at most {@code max}, else {@code max} of them. */
    List<Session> sessionsOf(ClientKey owner, int max);

    /** The owner holding the most live sessions (any of them on a tie) and how many; empty when the store is empty. */
    Optional<OwnerCount> busiestOwner();
}
