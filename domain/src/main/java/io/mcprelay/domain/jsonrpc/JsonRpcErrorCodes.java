package io.mcprelay.domain.jsonrpc;

/**
 * JSON-RPC error codes mcp-relay puts in the error bodies it writes itself: the JSON-RPC 2.0
 * standard ones, and the server-range codes the MCP SDKs use for transport errors.
 */
public final class JsonRpcErrorCodes {

    /** Invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON is not a valid JSON-RPC message, or not valid at this point of the protocol. */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist or is not available. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Invalid method parameters; MCP servers use it for a call to an unknown tool. */
    public static final int INVALID_PARAMS = -32602;
    /** Internal JSON-RPC error; used for upstream failures the client cannot fix. */
    public static final int INTERNAL_ERROR = -32603;
    /** Transport-level refusal (bad headers, missing session id), as the MCP SDK servers use it. */
    public static final int TRANSPORT_ERROR = -32000;
    /** The session is unknown, expired or terminated, as the MCP SDK servers use it. */
    public static final int SESSION_NOT_FOUND = -32001;
    /** 2026-07-28: a routing header (e.g. {@code Mcp-Method}) is missing or does not match the body (HeaderMismatch). */
    public static final int HEADER_MISMATCH = -32020;
    /** 2026-07-28: the request needs a client capability it did not declare (MissingRequiredClientCapability). */
    public static final int MISSING_CLIENT_CAPABILITY = -32021;
    /** 2026-07-28: the protocol version is not served; {@code data} lists the supported ones (UnsupportedProtocolVersion). */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private JsonRpcErrorCodes() {
    }
}
