package io.mcprelay.application.port.out.upstream;

import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.util.Objects;
import java.util.Optional;

/**
 * The upstream side of one relay session, as a call needs it: which upstream, its own session id
 * (when it gave one), the protocol version negotiated at initialize, and the client's context.
 *
 * <p>A modern request travels in a {@link #stateless stateless} one: like an opening session, it has
 * no id and no version of its own.
 *
 * <p>A session is {@link #opening() opening} while its {@code initialize} is on the way: no version
 * is negotiated yet, and an upstream that answers "no such session" refuses the initialize, it does
 * not end a session. Once {@link #established()}, "no such session" is {@link UpstreamReply.SessionGone}.
 *
 * @param target          the upstream
 * @param id              the upstream's session id, when it gave one
 * @param protocolVersion the negotiated version; empty while opening
 * @param client          what of the client's request travels upstream
 * @param era             the protocol era the calls belong to: {@link ProtocolEra#MODERN} for a stateless one only
 */
public record UpstreamSession(UpstreamTarget target, Optional<UpstreamSessionId> id, Optional<ProtocolVersion> protocolVersion,
                              ClientContext client, ProtocolEra era) {

    public UpstreamSession {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(era, "era");
    }

    /** The session an {@code initialize} opens on {@code target}. */
    public static UpstreamSession opening(UpstreamTarget target, ClientContext client) {
        return new UpstreamSession(target, Optional.empty(), Optional.empty(), client, ProtocolEra.LEGACY);
    }

    /**
     * No session at all: a 2026-07-28 (modern) request, which carries its version and capabilities
     * itself. Nothing identifies a session upstream, the client's own {@code MCP-Protocol-Version}
     * travels as it is (in {@code client}), and "not found" is an answer to relay (an unknown method),
     * never a lost session.
     */
    public static UpstreamSession stateless(UpstreamTarget target, ClientContext client) {
        return new UpstreamSession(target, Optional.empty(), Optional.empty(), client, ProtocolEra.MODERN);
    }

    /** An established session: initialize answered, {@code version} negotiated. */
    public static UpstreamSession established(UpstreamTarget target, Optional<UpstreamSessionId> id, ProtocolVersion version,
                                              ClientContext client) {
        return new UpstreamSession(target, id, Optional.of(version), client, ProtocolEra.LEGACY);
    }

    /** Whether initialize was answered (a version is negotiated). */
    public boolean established() {
        return protocolVersion.isPresent();
    }

    /** This session with another client context (the same session, seen from another request). */
    public UpstreamSession withClient(ClientContext other) {
        return new UpstreamSession(target, id, protocolVersion, other, era);
    }
}
