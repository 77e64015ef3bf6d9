package io.mcprelay.application.port.in;

import io.mcprelay.domain.session.ClientKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A DELETE of the MCP endpoint.
 *
 * @param sessionId       the {@code Mcp-Session-Id} header, if present
 * @param protocolVersion the {@code MCP-Protocol-Version} header, if present
 * @param headers         all request headers
 * @param client          who sent it: with authentication on, only the principal that opened the session may end it
 */
public record TerminateSessionCommand(Optional<String> sessionId, Optional<String> protocolVersion, Map<String, String> headers,
                                      ClientKey client) {

    public TerminateSessionCommand {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(client, "client");
    }

    /** A DELETE from a client that could not be told apart ({@link ClientKey#UNKNOWN}). */
    public TerminateSessionCommand(Optional<String> sessionId, Optional<String> protocolVersion, Map<String, String> headers) {
        this(sessionId, protocolVersion, headers, ClientKey.UNKNOWN);
    }
}
