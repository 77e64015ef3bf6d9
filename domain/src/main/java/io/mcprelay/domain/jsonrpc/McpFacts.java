package io.mcprelay.domain.jsonrpc;

import java.util.Optional;

/**
 * The few MCP-level facts the proxy reads from a message, extracted once when it is decoded.
 *
 * @param protocolVersion {@code params.protocolVersion} of an initialize request, or
 *                        {@code result.protocolVersion} of an initialize result
 * @param clientName      {@code params.clientInfo.name} of an initialize request
 * @param clientVersion   {@code params.clientInfo.version} of an initialize request
 * @param toolName        {@code params.name} of a {@code tools/call} request
 */
public record McpFacts(
        Optional<String> protocolVersion,
        Optional<String> clientName,
        Optional<String> clientVersion,
        Optional<String> toolName) {

    /** No facts: what most messages carry. */
    public static final McpFacts NONE = new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public McpFacts {
        protocolVersion = Optional.ofNullable(protocolVersion).flatMap(v -> v);
        clientName = Optional.ofNullable(clientName).flatMap(v -> v);
        clientVersion = Optional.ofNullable(clientVersion).flatMap(v -> v);
        toolName = Optional.ofNullable(toolName).flatMap(v -> v);
    }
}
