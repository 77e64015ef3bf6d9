package io.mcprelay.domain.routing;

/**
 * The kinds of transport an upstream MCP server can be reached by. The composition root registers
 * one upstream adapter per kind; a target whose kind has no adapter is refused at start-up.
 */
public enum TransportKind {
    /** MCP Streamable HTTP: POST, GET and DELETE on one endpoint. */
    HTTP,
    /** A local program speaking newline-delimited JSON-RPC on stdin and stdout. */
    STDIO
}
