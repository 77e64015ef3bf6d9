package io.mcprelay.application.port.out.trace;

/**
 * The attribute names mcp-relay's spans carry: OpenTelemetry's semantic conventions for MCP where
 * they name the fact ({@code mcp.*}, {@code gen_ai.tool.name}, {@code jsonrpc.request.id}), and
 * {@code mcp_relay.*} for the relay's own.
 */
public interface TraceAttributes {

    String MCP_METHOD = "mcp.method.name";
    String MCP_SESSION = "mcp.session.id";
    String MCP_PROTOCOL_VERSION = "mcp.protocol.version";
    String TOOL_NAME = "gen_ai.tool.name";
    String JSONRPC_REQUEST_ID = "jsonrpc.request.id";
    String ERROR_TYPE = "error.type";
    /** The upstream (its configured name) an exchange went to. */
    String UPSTREAM = "mcp_relay.upstream";
    /** The upstream's transport: {@code http} or {@code stdio}. */
    String TRANSPORT = "mcp_relay.transport";
    /**
     * The MCP protocol era of the exchange: {@code legacy} (sessions, up to 2025-11-25) or
     * {@code modern} (2026-07-28 on, stateless), as {@code ProtocolEra.label()} words it.
     */
    String PROTOCOL_ERA = "mcp_relay.protocol.era";
    /** The era of a request until its body says otherwise. */
    String ERA_LEGACY = "legacy";
    /** The request id ({@code X-Request-Id}) of the client's request. */
    String REQUEST_ID = "mcp_relay.request_id";
    /** How the upstream answered: {@code answer}, {@code events}, {@code accepted}, or a failure's kind. */
    String UPSTREAM_REPLY = "mcp_relay.upstream.reply";
    /** Which call of the upstream port: {@code send}, {@code listen}, {@code resume}, {@code end}. */
    String UPSTREAM_CALL = "mcp_relay.upstream.call";
}
