package io.mcprelay.application.service;

import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.SessionStorePort.CreateOutcome;
import io.mcprelay.application.port.out.SessionStorePort.OwnerCount;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ClientQuota;
import io.mcprelay.domain.session.Session;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Stores new sessions so that no client locks the others out (the rules are {@link ClientQuota}'s): a
 * client at its quota gives up its own least recently used session for the new one, and a full store
 * takes the least recently used session of the client holding the most, instead of refusing a
 * newcomer. Evicted sessions end as an operator's eviction does (their streams stop, their upstream
 * session is deleted).
 *
 * <p>The checks and the create are separate store calls, not one atomic step: opens of one client
 * racing on several threads or instances may each find room and together pass the quota by the
 * number racing; the next open of that client evicts the excess.
 */
final class ClientQuotas {

    private static final System.Logger LOG = System.getLogger(ClientQuotas.class.getName());
    /** Rounds of "evict one of the busiest, try again" before a full store refuses. */
    private static final int MAX_ROUNDS = 3;

    private final SessionStorePort sessions;
    private final ClientQuota quota;
    private final BiConsumer<Session, String> evict;

    /**
     * @param evict ends a session for the reason given (only called for sessions this class picked)
     */
    ClientQuotas(SessionStorePort sessions, ClientQuota quota, BiConsumer<Session, String> evict) {
        this.sessions = sessions;
        this.quota = quota;
        this.evict = evict;
    }

    /**
     * Ends a session as an operator's eviction does: deleted from the store, its streams stopped and
     * forgotten, its upstream session deleted.
     */
    static BiConsumer<Session, String> evicting(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams,
                                                RelaySettings settings, StreamRelay streams) {
        return (session, why) -> {
            if (!sessions.delete(session.id())) {
                return;
            }
            streams.forgetSession(session.id());
            LOG.log(System.Logger.Level.INFO, "session {0}: evicted, {1}", session.id(), why);
            upstreams.byName(session.upstream()).filter(target -> session.upstreamSessionId().isPresent() && !ModernUpstreamBridge.bridged(session))
                    .ifPresent(target -> upstream.end(UpstreamSessions.of(target, session, ClientContext.NONE)).close());
        };
    }

    /** Stores {@code session} as {@link SessionStorePort#create} does, making room by the quota rules first. */
    CreateOutcome create(Session session) {
        ClientKey owner = session.owner();
        List<Session> held = heldBy(owner);
        for (Session over : quota.overQuota(held)) {
            evict.accept(over, "client " + owner.value() + " reached its quota of " + quota.maxSessionsPerClient() + " sessions");
        }
        CreateOutcome outcome = sessions.create(session);
        for (int round = 0; outcome == CreateOutcome.CAPACITY_REACHED && round < MAX_ROUNDS; round++) {
            Optional<Session> victim = busiestVictim(owner);
            if (victim.isEmpty()) {
                break;
            }
            evict.accept(victim.get(), "the store is full and client " + victim.get().owner().value() + " holds the most sessions");
            outcome = sessions.create(session);
        }
        return outcome;
    }

    /** The session a full store gives up for a new one of {@code newcomer}, if the rules allow one. */
    private Optional<Session> busiestVictim(ClientKey newcomer) {
        Optional<OwnerCount> busiest = sessions.busiestOwner();
        if (busiest.isEmpty()) {
            return Optional.empty();
        }
        OwnerCount top = busiest.get();
        long newcomerHeld = top.owner().equals(newcomer) ? top.sessions() : heldBy(newcomer).size();
        if (!ClientQuota.evictsBusiest(newcomer, newcomerHeld, top.owner(), top.sessions())) {
            LOG.log(System.Logger.Level.INFO, "session store full: client {0} holds the most ({1}); a new session of {2} is refused",
                    top.owner().value(), top.sessions(), newcomer.value());
            return Optional.empty();
        }
        return ClientQuota.leastRecentlyUsed(heldBy(top.owner()));
    }

    /** The sessions {@code owner} holds, bounded by a little more than the quota. */
    private List<Session> heldBy(ClientKey owner) {
        return sessions.sessionsOf(owner, quota.maxSessionsPerClient() + 16);
    }
}
