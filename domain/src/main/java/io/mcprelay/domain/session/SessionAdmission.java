package io.mcprelay.domain.session;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.util.Objects;
import java.util.Optional;

/**
 * The session rules of the transport, decided before anything is sent upstream: {@code initialize}
 * comes alone and without a session id and opens a session; every other message names a session.
 */
public final class SessionAdmission {

    private SessionAdmission() {
    }

    /** What a request may do. */
    public sealed interface Admission {
        /** An initialize request: open a new session. */
        record OpenSession(JsonRpcMessage.Request initialize) implements Admission {
            public OpenSession {
                Objects.requireNonNull(initialize, "initialize");
            }
        }

        /** A request within the session the client named. */
        record UseSession(ProxySessionId sessionId) implements Admission {
            public UseSession {
                Objects.requireNonNull(sessionId, "sessionId");
            }
        }

        /** Refused before it reaches any store or upstream. */
        record Refused(Rejection rejection) implements Admission {
            public Refused {
                Objects.requireNonNull(rejection, "rejection");
            }
        }
    }

    /** Admission of a POST carrying {@code payload}, with the client's {@code Mcp-Session-Id} if any. */
    public static Admission admitPost(JsonRpcPayload payload, Optional<String> sessionHeader) {
        if (payload.containsInitialize()) {
            if (!(payload instanceof JsonRpcPayload.Single single)) {
                return refused(RejectionReason.INITIALIZE_NOT_ALONE, "Invalid Request: initialize must not be part of a batch");
            }
            if (sessionHeader.isPresent()) {
                return refused(RejectionReason.INITIALIZE_WITH_SESSION,
                        "Invalid Request: initialize opens a new session and must not carry Mcp-Session-Id");
            }
            return new Admission.OpenSession((JsonRpcMessage.Request) single.message());
        }
        return admitSessionRequest(sessionHeader);
    }

    /** Admission of a request that must name a session (a non-initialize POST, a GET, a DELETE). */
    public static Admission admitSessionRequest(Optional<String> sessionHeader) {
        if (sessionHeader.isEmpty()) {
            return refused(RejectionReason.MISSING_SESSION_ID, "Bad Request: Mcp-Session-Id header is required");
        }
        if (!ProxySessionId.isWellFormed(sessionHeader.get())) {
            return refused(RejectionReason.MALFORMED_SESSION_ID,
                    "Bad Request: Mcp-Session-Id must be 1 to " + ProxySessionId.MAX_LENGTH + " visible ASCII characters");
        }
        return new Admission.UseSession(new ProxySessionId(sessionHeader.get()));
    }

    /**
     * Checks the client's {@code MCP-Protocol-Version} header: the session's negotiated revision
     * always passes (even an older one the proxy does not list, since client and upstream agreed on
     * it); otherwise it must be a supported revision, and equal the negotiated one when the session
     * is known.
     */
    public static Optional<Rejection> checkVersionHeader(Optional<String> versionHeader, Optional<ProtocolVersion> negotiated) {
        if (versionHeader.isEmpty()) {
            return Optional.empty();
        }
        String text = versionHeader.get().trim();
        if (negotiated.isPresent() && negotiated.get().value().equals(text)) {
            // the revision client and upstream agreed on is valid for this session, even one we do not list
            return Optional.empty();
        }
        Optional<ProtocolVersion> named = ProtocolVersion.supported(text);
        if (named.isEmpty()) {
            return Optional.of(Rejection.of(RejectionReason.UNSUPPORTED_PROTOCOL_VERSION,
                    "Bad Request: Unsupported protocol version " + printable(text) + " (supported: "
                            + String.join(", ", ProtocolVersion.SUPPORTED.stream().map(ProtocolVersion::value).toList()) + ")"));
        }
        if (negotiated.isPresent() && !negotiated.get().equals(named.get())) {
            return Optional.of(Rejection.of(RejectionReason.PROTOCOL_VERSION_MISMATCH,
                    "Bad Request: MCP-Protocol-Version " + text + " differs from the session's negotiated version " + negotiated.get()));
        }
        return Optional.empty();
    }

    /** Batches are refused in sessions whose revision removed them (2025-06-18 and later). */
    public static Optional<Rejection> checkBatching(JsonRpcPayload payload, ProtocolVersion negotiated) {
        if (payload instanceof JsonRpcPayload.Batch && !negotiated.allowsBatching()) {
            return Optional.of(Rejection.of(RejectionReason.BATCH_NOT_ALLOWED,
                    "Invalid Request: JSON-RPC batches are not allowed in protocol version " + negotiated));
        }
        return Optional.empty();
    }

    private static Admission refused(RejectionReason reason, String detail) {
        return new Admission.Refused(Rejection.of(reason, detail));
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7E]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }
}
