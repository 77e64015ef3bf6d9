package io.mcprelay.application.port.in;

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
 */
public record RelayMessageCommand(Optional<String> sessionId, Optional<String> protocolVersion,
                                  Map<String, String> headers, byte[] body) {

    public RelayMessageCommand {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }
}
