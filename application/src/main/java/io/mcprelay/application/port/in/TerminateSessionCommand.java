package io.mcprelay.application.port.in;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A DELETE of the MCP endpoint.
 *
 * @param sessionId       the {@code Mcp-Session-Id} header, if present
 * @param protocolVersion the {@code MCP-Protocol-Version} header, if present
 * @param headers         all request headers
 */
public record TerminateSessionCommand(Optional<String> sessionId, Optional<String> protocolVersion, Map<String, String> headers) {

    public TerminateSessionCommand {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        headers = Map.copyOf(headers);
    }
}
