package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.HttpEcho;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each HTTP answer means in MCP: the one place the relay reads an upstream's status. */
class McpRepliesTest {

    private static final UpstreamTarget WEB = new UpstreamTarget("web", URI.create("http://web.test/mcp"));
    private static final UpstreamSession OPENING = UpstreamSession.opening(WEB, ClientContext.NONE);
    private static final UpstreamSession ESTABLISHED = UpstreamSession.established(WEB, Optional.of(new UpstreamSessionId("u-1")),
            ProtocolVersion.V2025_06_18, ClientContext.NONE);

    @Test
    void theEchoCarriesTheStatusAndOnlyTheHeadersThePolicyLetsDownstream() {
        HttpAnswer.Headers headers = new HttpAnswer.Headers(Map.of("Mcp-Session-Id", "u-1", "Mcp-Trace", "t", "Set-Cookie", "x",
                "Last-Event-ID", "e", "Content-Type", "application/json"));

        assertThat(McpReplies.echo(201, headers)).isEqualTo(new HttpEcho(201, Map.of("mcp-trace", "t")));
    }

    @Test
    void anInvalidUpstreamSessionIdEstablishesNoSession() {
        UpstreamReply reply = McpReplies.of(new HttpAnswer.Json(200, new HttpAnswer.Headers(Map.of("Mcp-Session-Id", "has space")),
                "{}".getBytes(StandardCharsets.UTF_8)), McpReplies.Purpose.SEND, OPENING);

        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Answer.class, a -> assertThat(a.session()).isEmpty());
    }

    @Test
    void aPlainRefusalIsClippedAndItsControlCharactersReplaced() {
        UpstreamReply reply = McpReplies.of(failed(403, "text/plain", "denied\u0007" + "x".repeat(300)), McpReplies.Purpose.SEND, ESTABLISHED);

        assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Refused.class, r -> {
            assertThat(r.detail()).isEqualTo("HTTP 403: denied?" + "x".repeat(193) + "...");
            assertThat(r.error()).isEmpty();
            assertThat(r.upstreamFault()).isFalse();
        });
    }

    @Test
    void anEmptyJsonErrorBodyIsNoJsonRpcError() {
        assertThat(McpReplies.of(failed(429, "application/json", ""), McpReplies.Purpose.SEND, ESTABLISHED))
                .isEqualTo(new UpstreamReply.Refused(Optional.empty(), "HTTP 429", false, new HttpEcho(429, Map.of())));
    }

    @Test
    void aJsonServerErrorIsRelayedButIsTheUpstreamsFault() {
        assertThat(McpReplies.of(failed(500, "application/json; charset=utf-8", "{\"e\":1}"), McpReplies.Purpose.SEND, ESTABLISHED))
                .isInstanceOfSatisfying(UpstreamReply.Refused.class, r -> {
                    assertThat(r.error()).isPresent();
                    assertThat(r.upstreamFault()).isTrue();
                });
        assertThat(McpReplies.of(failed(600, "text/plain", ""), McpReplies.Purpose.SEND, ESTABLISHED))
                .as("a number that is no status counts against the upstream")
                .isInstanceOfSatisfying(UpstreamReply.Refused.class, r -> assertThat(r.upstreamFault()).isTrue());
    }

    @Test
    void aRefusedStandaloneGetKeepsItsStatusButNoneOfItsHeaders() {
        HttpAnswer.Failed json = new HttpAnswer.Failed(400, new HttpAnswer.Headers(Map.of("Mcp-Hint", "h")), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(McpReplies.of(json, McpReplies.Purpose.LISTEN, ESTABLISHED)).isInstanceOfSatisfying(UpstreamReply.Refused.class, r -> {
            assertThat(r.error()).isPresent();
            assertThat(r.detail()).isEqualTo("GET with HTTP 400");
            assertThat(r.echo()).isEqualTo(new HttpEcho(400, Map.of()));
        });
        assertThat(McpReplies.of(failed(500, "application/json", "{}"), McpReplies.Purpose.LISTEN, ESTABLISHED))
                .isEqualTo(new UpstreamReply.Refused(Optional.empty(), "GET with HTTP 500", true, new HttpEcho(500, Map.of())));
        assertThat(McpReplies.of(failed(404, "text/plain", ""), McpReplies.Purpose.LISTEN, ESTABLISHED))
                .isEqualTo(new UpstreamReply.SessionGone("HTTP 404"));
        assertThat(McpReplies.of(failed(405, "text/plain", ""), McpReplies.Purpose.LISTEN, ESTABLISHED))
                .isEqualTo(new UpstreamReply.NoStream("HTTP 405"));
        assertThat(McpReplies.of(failed(405, "text/plain", ""), McpReplies.Purpose.SEND, ESTABLISHED))
                .as("405 means no stream only for the standalone GET").isInstanceOf(UpstreamReply.Refused.class);
    }

    @Test
    void otherContentDescribesItsTypeForAClientThatWaitedForAnAnswer() {
        UpstreamReply html = McpReplies.of(new HttpAnswer.Passthrough(200, HttpAnswer.Headers.NONE, "text/html",
                new ByteArrayInputStream(new byte[0])), McpReplies.Purpose.SEND, ESTABLISHED);
        UpstreamReply untyped = McpReplies.of(new HttpAnswer.Passthrough(200, HttpAnswer.Headers.NONE, "",
                new ByteArrayInputStream(new byte[0])), McpReplies.Purpose.SEND, ESTABLISHED);

        assertThat(html).isInstanceOfSatisfying(UpstreamReply.Other.class, o ->
                assertThat(o.description()).isEqualTo("Content-Type text/html, neither application/json nor text/event-stream"));
        assertThat(untyped).isInstanceOfSatisfying(UpstreamReply.Other.class, o ->
                assertThat(o.description()).startsWith("no Content-Type, neither"));
    }

    @Test
    void theNegotiatedVersionReplacesTheClientsOwnOnceThereIsOne() {
        ClientContext client = new ClientContext(Map.of("mcp-protocol-version", "2025-03-26", "Mcp-X", "1"));

        assertThat(HttpUpstreamAdapter.headersOf(UpstreamSession.opening(WEB, client)))
                .containsEntry("mcp-protocol-version", "2025-03-26").containsEntry("Mcp-X", "1");
        assertThat(HttpUpstreamAdapter.headersOf(ESTABLISHED.withClient(client)))
                .containsEntry("MCP-Protocol-Version", "2025-06-18").doesNotContainKey("mcp-protocol-version").containsEntry("Mcp-X", "1");
    }

    private static HttpAnswer.Failed failed(int status, String contentType, String body) {
        return new HttpAnswer.Failed(status, HttpAnswer.Headers.NONE, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
