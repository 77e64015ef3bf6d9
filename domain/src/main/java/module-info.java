/**
 * The pure core of mcp-relay: JSON-RPC message classification, proxy sessions and their lifecycle
 * rules, upstream targets, access and header policies, SSE events. Requires nothing but
 * {@code java.base}: no I/O, no clock reads, no framework.
 */
module io.mcprelay.domain {
    exports io.mcprelay.domain.access;
    exports io.mcprelay.domain.auth;
    exports io.mcprelay.domain.bridge;
    exports io.mcprelay.domain.era;
    exports io.mcprelay.domain.intercept;
    exports io.mcprelay.domain.jsonrpc;
    exports io.mcprelay.domain.limit;
    exports io.mcprelay.domain.routing;
    exports io.mcprelay.domain.session;
    exports io.mcprelay.domain.stream;
}
