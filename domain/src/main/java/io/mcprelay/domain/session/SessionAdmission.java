package io.mcprelay.domain.session;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.util.List;
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
     * Checks the client's {@code MCP-Protocol-Version} header. Any revision mcp-relay supports passes,
     * also in a session that negotiated another one, as the SDK servers do (a client may name any
     * revision it and the server both speak; the conformance suite's {@code server-sse-multiple-streams}
     * names an older one than it negotiated). The session's negotiated revision always passes, even
     * one mcp-relay does not list, since client and upstream agreed on it. Anything else is refused,
     * with the supported revisions in the error's {@code data}.
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
        if (ProtocolVersion.supported(text).isPresent()) {
            return Optional.empty();
        }
        List<String> supported = ProtocolVersion.SUPPORTED.stream().map(ProtocolVersion::value).toList();
        return Optional.of(Rejection.of(RejectionReason.UNSUPPORTED_PROTOCOL_VERSION,
                        "Bad Request: Unsupported protocol version " + printable(text) + " (supported: " + String.join(", ", supported) + ")")
                .withData("{\"supported\":[" + String.join(",", supported.stream().map(v -> "\"" + v + "\"").toList()) + "]}"));
    }

    /**
     * Batches are refused unless every revision in play allows them (2025-03-26 and earlier): the
     * session's negotiated one, since the upstream agreed to that revision and no later one ever took
     * batches, and the one the request's {@code MCP-Protocol-Version} names, since a client that says
     * it speaks a revision without batches must not send one. A header naming no supported revision
     * has been refused before this (or is the negotiated one).
     */
    public static Optional<Rejection> checkBatching(JsonRpcPayload payload, ProtocolVersion negotiated, Optional<String> versionHeader) {
        if (!(payload instanceof JsonRpcPayload.Batch)) {
            return Optional.empty();
        }
        ProtocolVersion inUse = versionHeader.flatMap(v -> ProtocolVersion.supported(v.trim())).orElse(negotiated);
        ProtocolVersion governing = inUse.compareTo(negotiated) > 0 ? inUse : negotiated;
        if (!governing.allowsBatching()) {
            return Optional.of(Rejection.of(RejectionReason.BATCH_NOT_ALLOWED,
                    "Invalid Request: JSON-RPC batches are not allowed in protocol version " + governing));
        }
        return Optional.empty();
    }

    /** As {@link #checkBatching(JsonRpcPayload, ProtocolVersion, Optional)} for a request without {@code MCP-Protocol-Version}. */
    public static Optional<Rejection> checkBatching(JsonRpcPayload payload, ProtocolVersion negotiated) {
        return checkBatching(payload, negotiated, Optional.empty());
    }

    private static Admission refused(RejectionReason reason, String detail) {
        return new Admission.Refused(Rejection.of(reason, detail));
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7E]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }
}
