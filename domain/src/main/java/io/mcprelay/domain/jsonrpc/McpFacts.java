package io.mcprelay.domain.jsonrpc;

import java.util.List;
import java.util.Optional;

/**
 * The few MCP-level facts the proxy reads from a message, extracted once when it is decoded.
 *
 * @param protocolVersion     {@code params.protocolVersion} of an initialize request, or
 *                            {@code result.protocolVersion} of an initialize result
 * @param clientName          {@code params.clientInfo.name} of an initialize request
 * @param clientVersion       {@code params.clientInfo.version} of an initialize request
 * @param toolName            {@code params.name} of a {@code tools/call} request
 * @param metaProtocolVersion {@code params._meta["io.modelcontextprotocol/protocolVersion"]} of a
 *                            request or notification: the 2026-07-28 era's per-request version claim
 * @param routedName          what a 2026-07-28 {@code Mcp-Name} routing header mirrors: {@code params.name}
 *                            of {@code tools/call} and {@code prompts/get}, {@code params.uri} of
 *                            {@code resources/read}, {@code params.taskId} of {@code tasks/get},
 *                            {@code tasks/update} and {@code tasks/cancel}
 * @param supportedVersions   {@code result.supportedVersions} of a {@code server/discover} result (empty otherwise)
 */
public record McpFacts(
        Optional<String> protocolVersion,
        Optional<String> clientName,
        Optional<String> clientVersion,
        Optional<String> toolName,
        Optional<String> metaProtocolVersion,
        Optional<String> routedName,
        List<String> supportedVersions) {

    /** No facts: what most messages carry. */
    public static final McpFacts NONE = new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public McpFacts {
        protocolVersion = Optional.ofNullable(protocolVersion).flatMap(v -> v);
        clientName = Optional.ofNullable(clientName).flatMap(v -> v);
        clientVersion = Optional.ofNullable(clientVersion).flatMap(v -> v);
        toolName = Optional.ofNullable(toolName).flatMap(v -> v);
        metaProtocolVersion = Optional.ofNullable(metaProtocolVersion).flatMap(v -> v);
        routedName = Optional.ofNullable(routedName).flatMap(v -> v);
        supportedVersions = supportedVersions == null ? List.of() : List.copyOf(supportedVersions);
    }

    /** The facts of a 2025-era message (no per-request version claim, no routed name). */
    public McpFacts(Optional<String> protocolVersion, Optional<String> clientName, Optional<String> clientVersion,
                    Optional<String> toolName) {
        this(protocolVersion, clientName, clientVersion, toolName, Optional.empty(), Optional.empty(), List.of());
    }

    /** The params member {@code Mcp-Name} mirrors for {@code method}, or empty when the method has no such header. */
    public static Optional<String> routedNameMember(String method) {
        return switch (method) {
            case "tools/call", "prompts/get" -> Optional.of("name");
            case "resources/read" -> Optional.of("uri");
            case "tasks/get", "tasks/update", "tasks/cancel" -> Optional.of("taskId");
            default -> Optional.empty();
        };
    }
}
