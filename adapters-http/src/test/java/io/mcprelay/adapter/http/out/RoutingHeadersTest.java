package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The 2026-07-28 routing headers the HTTP adapter renders for a modern call that does not bring its own (mcp-relay's probe). */
class RoutingHeadersTest {

    private static final UpstreamTarget TARGET = new UpstreamTarget("u", URI.create("http://u.test/mcp"));

    private static UpstreamCall call(UpstreamSession session, String method, Optional<String> version, Optional<String> name) {
        McpFacts facts = new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), version, name, List.of());
        return new UpstreamCall(session, new JsonRpcPayload.Single(new JsonRpcMessage.Request(new RequestId.NumericId("1"), method, facts)),
                new byte[0], UpstreamPort.Budget.STREAM);
    }

    @Test
    void aModernCallWithoutRoutingHeadersGetsThemFromItsBody() {
        Map<String, String> headers = new LinkedHashMap<>();
        HttpUpstreamAdapter.routingHeaders(call(UpstreamSession.stateless(TARGET, ClientContext.NONE), "tools/call",
                Optional.of("2026-07-28"), Optional.of(" spaced")), headers);

        assertThat(headers).containsEntry("MCP-Protocol-Version", "2026-07-28").containsEntry("Mcp-Method", "tools/call")
                .containsEntry("Mcp-Name", "=?base64?IHNwYWNlZA==?=");
    }

    @Test
    void theClientsOwnHeadersAreKeptAsTheyCame() {
        Map<String, String> headers = new LinkedHashMap<>(Map.of("mcp-method", "tools/call", "mcp-protocol-version", "2026-07-28"));
        HttpUpstreamAdapter.routingHeaders(call(UpstreamSession.stateless(TARGET, ClientContext.NONE), "tools/call",
                Optional.of("2026-07-28"), Optional.empty()), headers);

        assertThat(headers).hasSize(2).containsEntry("mcp-method", "tools/call");
    }

    @Test
    void legacyCallsAndSessionsGetNone() {
        Map<String, String> headers = new LinkedHashMap<>();
        HttpUpstreamAdapter.routingHeaders(call(UpstreamSession.stateless(TARGET, ClientContext.NONE), "tools/list",
                Optional.of("2025-11-25"), Optional.empty()), headers);
        HttpUpstreamAdapter.routingHeaders(call(UpstreamSession.established(TARGET, Optional.empty(), ProtocolVersion.V2025_11_25,
                ClientContext.NONE), "tools/list", Optional.of("2026-07-28"), Optional.empty()), headers);
        HttpUpstreamAdapter.routingHeaders(call(UpstreamSession.stateless(TARGET, ClientContext.NONE), "tools/list",
                Optional.empty(), Optional.empty()), headers);

        assertThat(headers).isEmpty();
        assertThat(call(UpstreamSession.stateless(TARGET, ClientContext.NONE), "x", Optional.empty(), Optional.empty()).longLived()).isTrue();
    }
}
