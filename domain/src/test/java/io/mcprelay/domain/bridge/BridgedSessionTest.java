package io.mcprelay.domain.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.session.UpstreamSessionId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BridgedSessionTest {

    private static final JsonValue.Obj PARAMS = JsonText.parseObject("{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"elicitation\":{"
            + "\"form\":{}},\"roots\":{\"listChanged\":true}},\"clientInfo\":{\"name\":\"v1\",\"version\":\"1.0\"}}");

    @Test
    void theStateTravelsInTheSlotAndBack() {
        BridgedSession state = BridgedSession.opened(PARAMS).withLogLevel("info").withSubscription("file:///a", true)
                .withSubscription("file:///b", true).withSubscription("file:///a", false);

        Optional<UpstreamSessionId> slot = state.slot();

        assertThat(slot).isPresent();
        assertThat(slot.get().value()).startsWith(BridgedSession.PREFIX);
        assertThat(BridgedSession.isBridged(slot)).isTrue();
        assertThat(BridgedSession.fromSlot(slot)).contains(state);
        assertThat(state.subscriptions()).containsExactly("file:///b");
    }

    @Test
    void theEnvelopeIsTheSessionsDeclarationsInTheModernVersion() {
        ModernEnvelope envelope = BridgedSession.opened(PARAMS).withLogLevel("debug").envelope();

        assertThat(envelope.protocolVersion()).isEqualTo("2026-07-28");
        assertThat(envelope.clientCapabilities().toJson()).isEqualTo("{\"elicitation\":{\"form\":{}},\"roots\":{\"listChanged\":true}}");
        assertThat(envelope.clientInfo().orElseThrow().str("name")).contains("v1");
        assertThat(envelope.logLevel()).contains("debug");
    }

    @Test
    void anUpstreamsOwnSessionIdIsNoBridgeState() {
        Optional<UpstreamSessionId> upstreams = Optional.of(new UpstreamSessionId("abc-123"));

        assertThat(BridgedSession.isBridged(upstreams)).isFalse();
        assertThat(BridgedSession.fromSlot(upstreams)).isEmpty();
        assertThat(BridgedSession.isBridged(Optional.empty())).isFalse();
        assertThat(BridgedSession.fromSlot(Optional.of(new UpstreamSessionId(BridgedSession.PREFIX + "!!")))).isEmpty();
        assertThat(BridgedSession.fromSlot(Optional.of(new UpstreamSessionId(BridgedSession.PREFIX + "bm90LWpzb24")))).isEmpty();
    }

    @Test
    void stateTooLargeForTheSlotIsCompacted() {
        JsonValue.Obj big = JsonValue.obj("capabilities", JsonValue.obj("experimental", JsonValue.obj("x", JsonValue.str("y".repeat(2000))),
                "elicitation", JsonValue.obj("form", JsonValue.obj("a", JsonValue.str("b")), "url", JsonValue.Obj.EMPTY)),
                "clientInfo", JsonValue.obj("name", JsonValue.str("n".repeat(100)), "version", JsonValue.str("1"), "icons", JsonValue.str("z".repeat(500))));
        BridgedSession state = BridgedSession.opened(big);

        assertThat(state.slot()).isEmpty();
        BridgedSession compact = state.compact();
        assertThat(compact.slot()).isPresent();
        assertThat(compact.capabilities().toJson()).isEqualTo("{\"experimental\":{},\"elicitation\":{\"form\":{},\"url\":{}}}");
        assertThat(compact.clientInfo().orElseThrow().str("name").orElseThrow()).hasSize(64);
        assertThat(compact.clientInfo().orElseThrow().get("icons")).isEmpty();
    }

    @Test
    void anInitializeWithoutDeclarationsHasEmptyCapabilities() {
        BridgedSession state = BridgedSession.opened(JsonValue.Obj.EMPTY);

        assertThat(state.capabilities()).isEqualTo(JsonValue.Obj.EMPTY);
        assertThat(state.clientInfo()).isEmpty();
        assertThat(BridgedSession.fromSlot(state.slot())).contains(state);
        assertThat(state.compact()).isEqualTo(new BridgedSession(JsonValue.Obj.EMPTY, Optional.empty(), Optional.empty(), List.of()));
    }

    @Test
    void theCallHeadersLeaveOutTheClientsEraAndNegotiation() {
        Map<String, String> headers = BridgeCallHeaders.of(Map.of("MCP-Protocol-Version", "2025-11-25", "Accept", "text/event-stream",
                "Content-Type", "application/json", "traceparent", "00-1", "Mcp-Session-Id", "x"), Map.of("Mcp-Method", "tools/list"));

        assertThat(headers).containsOnlyKeys("traceparent", "Mcp-Method");
    }
}
