package io.mcprelay.domain.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One client session: our id, the upstream it lives on and that upstream's session id, the protocol
 * revision negotiated at initialize, who the client is, and when it was created and last used.
 *
 * @param id                the proxy session id the client holds
 * @param upstream          the name of the upstream that initialized the session; it stays there
 * @param upstreamSessionId the upstream's id, empty when the upstream is stateless
 * @param protocolVersion   the revision negotiated at initialize
 * @param client            the client's declared name and version
 * @param createdAt         when the session was created
 * @param lastSeenAt        when a request last used it (the sliding TTL counts from here)
 * @param owner             who opened it, for the per-client session quota ({@link ClientQuota})
 */
public record Session(
        ProxySessionId id,
        String upstream,
        Optional<UpstreamSessionId> upstreamSessionId,
        ProtocolVersion protocolVersion,
        ClientInfo client,
        Instant createdAt,
        Instant lastSeenAt,
        ClientKey owner) {

    public Session {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(upstreamSessionId, "upstreamSessionId");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        if (lastSeenAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("a session cannot be seen before it was created");
        }
    }

    /** A session of an unknown owner ({@link ClientKey#UNKNOWN}). */
    public Session(ProxySessionId id, String upstream, Optional<UpstreamSessionId> upstreamSessionId, ProtocolVersion protocolVersion,
                   ClientInfo client, Instant createdAt, Instant lastSeenAt) {
        this(id, upstream, upstreamSessionId, protocolVersion, client, createdAt, lastSeenAt, ClientKey.UNKNOWN);
    }

    /** A session opened now, seen now, of an unknown owner. */
    public static Session opened(ProxySessionId id, String upstream, Optional<UpstreamSessionId> upstreamSessionId,
                                 ProtocolVersion protocolVersion, ClientInfo client, Instant now) {
        return opened(id, upstream, upstreamSessionId, protocolVersion, client, now, ClientKey.UNKNOWN);
    }

    /** A session of {@code owner} opened now, seen now. */
    public static Session opened(ProxySessionId id, String upstream, Optional<UpstreamSessionId> upstreamSessionId,
                                 ProtocolVersion protocolVersion, ClientInfo client, Instant now, ClientKey owner) {
        return new Session(id, upstream, upstreamSessionId, protocolVersion, client, now, now, owner);
    }

    /**
     * Whether {@code requester} may use, resume or end this session. An authenticated principal may
     * only touch the sessions it opened; to anyone else such a session does not exist (404, never a
     * hint). Without authentication the owner is a network address, which may change under a client
     * (NAT, mobile networks), so it is counted for quotas but not enforced.
     */
    public boolean usableBy(ClientKey requester) {
        return !requester.isPrincipal() && !owner.isPrincipal() || owner.equals(requester);
    }

    /** This session, now belonging to {@code newOwner}. */
    public Session ownedBy(ClientKey newOwner) {
        return new Session(id, upstream, upstreamSessionId, protocolVersion, client, createdAt, lastSeenAt, newOwner);
    }

    /** This session, seen at {@code now} (never moving {@code lastSeenAt} backwards). */
    public Session seenAt(Instant now) {
        return now.isAfter(lastSeenAt) ? new Session(id, upstream, upstreamSessionId, protocolVersion, client, createdAt, now, owner) : this;
    }

    /** This session, bound to {@code upstreamSession}. */
    public Session boundTo(UpstreamSessionId upstreamSession) {
        return new Session(id, upstream, Optional.of(upstreamSession), protocolVersion, client, createdAt, lastSeenAt, owner);
    }
}
