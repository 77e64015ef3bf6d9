package io.mcprelay.application.port.in;

import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.era.RoutingClaims;
import io.mcprelay.domain.session.ClientKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One POST to the MCP endpoint, as the HTTP adapter received it after its transport checks
 * (Origin, Accept, Content-Type, body size).
 *
 * @param sessionId       the {@code Mcp-Session-Id} header, if present
 * @param protocolVersion the {@code MCP-Protocol-Version} header, if present
 * @param headers         all request headers (repeated ones joined with ", "); the use case decides
 *                        which reach the upstream
 * @param body            the body, UTF-8 JSON
 * @param client          who sent it, for the per-client session quota (the address of its connection
 *                        without authentication, {@link Principal#clientKey()} with it)
 * @param principal       who sent it, when clients authenticate: rules may match on it
 * @param routing         what the transport claims about the body beside it (2026-07-28 routing
 *                        headers: protocol version, method, name, tool arguments), checked against the
 *                        body before anything trusts it
 */
public record RelayMessageCommand(Optional<String> sessionId, Optional<String> protocolVersion,
                                  Map<String, String> headers, byte[] body, ClientKey client, Optional<Principal> principal,
                                  RoutingClaims routing) {

    public RelayMessageCommand {
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(principal, "principal");
    }

    /** A POST whose only routing claim is its protocol version (what a 2025-era client sends). */
    public RelayMessageCommand(Optional<String> sessionId, Optional<String> protocolVersion, Map<String, String> headers, byte[] body,
                               ClientKey client, Optional<Principal> principal) {
        this(sessionId, protocolVersion, headers, body, client, principal, RoutingClaims.ofVersion(protocolVersion));
    }

    /** A POST of a client that did not authenticate. */
    public RelayMessageCommand(Optional<String> sessionId, Optional<String> protocolVersion, Map<String, String> headers, byte[] body,
                               ClientKey client) {
        this(sessionId, protocolVersion, headers, body, client, Optional.empty());
    }

    /** A POST from a client that could not be told apart ({@link ClientKey#UNKNOWN}). */
    public RelayMessageCommand(Optional<String> sessionId, Optional<String> protocolVersion, Map<String, String> headers, byte[] body) {
        this(sessionId, protocolVersion, headers, body, ClientKey.UNKNOWN);
    }
}
