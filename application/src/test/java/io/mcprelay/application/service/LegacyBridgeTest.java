package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.session.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bridge (b): modern requests carried to a legacy-only upstream in sessions the relay holds. */
class LegacyBridgeTest {

    private static final String MODERN = ProtocolEra.FIRST_MODERN;
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}},"
            + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"modern-client\",\"version\":\"2.4.0\"},\"progressToken\":7}";
    private static final String INIT_RESULT = "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{},\"tasks\":{}},"
            + "\"serverInfo\":{\"name\":\"everything\",\"version\":\"1.0\"},\"instructions\":\"be nice\"}";

    static String request(String id, String method) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{" + META + "}}";
    }

    private static RelayHarness bridged() {
        return RelayHarness.builder().era(UpstreamEra.LEGACY).settings(RelaySettings.defaults().withBridgeLegacy(true)).build();
    }

    private static UpstreamReply initialized(ScriptedUpstream.Sent sent) {
        String id = body(sent).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        return UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":" + INIT_RESULT + "}", "up-1");
    }

    private static String body(ScriptedUpstream.Sent sent) {
        return new String(sent.body(), StandardCharsets.UTF_8);
    }

    @Test
    void discoverIsAnsweredFromTheUpstreamsInitializeResultAndCached() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeTest::initialized).thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream first = relay.post(aPost(request("1", "server/discover")).modern("server/discover", null).build());
        RecordingDownstream second = relay.post(aPost(request("2", "server/discover")).modern("server/discover", null).build());

        assertThat(first.bodyText()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"supportedVersions\":[\"" + MODERN
                + "\",\"2025-11-25\"").contains("\"capabilities\":{\"tools\":{}}").contains("\"instructions\":\"be nice\"")
                .contains("\"ttlMs\":0").contains("\"cacheScope\":\"private\"")
                .contains("\"io.modelcontextprotocol/serverInfo\":{\"name\":\"everything\"");
        assertThat(second.bodyText()).contains("\"id\":2,");
        assertThat(relay.upstream().requestCount()).isEqualTo(2); // initialize + initialized, once
        String initialize = body(relay.upstream().requests().get(0));
        assertThat(initialize).contains("\"method\":\"initialize\"").contains("\"protocolVersion\":\"2025-11-25\"")
                .contains("\"capabilities\":{\"elicitation\":{}}").contains("\"clientInfo\":{\"name\":\"modern-client\"");
        assertThat(body(relay.upstream().requests().get(1))).contains("notifications/initialized");
        assertThat(relay.upstream().requests().get(1).sessionId().orElseThrow().value()).isEqualTo("up-1");
    }

    @Test
    void aRequestTravelsInAPooledSessionWithoutTheReservedKeysAndItsAnswerIsAnnotated() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32002,\"message\":\"no such resource\"}}"));

        RecordingDownstream list = relay.post(aPost(request("1", "tools/list")).modern("tools/list", null).build());
        RecordingDownstream read = relay.post(aPost(request("2", "resources/read").replace("\"params\":{", "\"params\":{\"uri\":\"x:/y\","))
                .modern("resources/read", "x:/y").build());

        assertThat(list.bodyText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[],\"resultType\":\"complete\","
                + "\"ttlMs\":0,\"cacheScope\":\"private\",\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"everything\","
                + "\"version\":\"1.0\"}}}}");
        assertThat(read.bodyText()).contains("\"code\":-32602");
        ScriptedUpstream.Sent sent = relay.upstream().requests().get(2);
        assertThat(body(sent)).doesNotContain("io.modelcontextprotocol/").contains("\"_meta\":{\"progressToken\":7}");
        assertThat(sent.sessionId().orElseThrow().value()).isEqualTo("up-1");
        assertThat(sent.protocolVersion()).contains(ProtocolVersion.V2025_06_18);
        assertThat(relay.upstream().requests().get(3).sessionId().orElseThrow().value()).isEqualTo("up-1"); // the same session, pooled
        assertThat(relay.sessions().stored()).isEmpty();
    }

    @Test
    void aLostUpstreamSessionIsOpenedAgainAndTheRequestSentOnce() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.sessionGone())
                .thenAnswer(LegacyBridgeTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}"));

        RecordingDownstream client = relay.post(aPost(request("1", "tools/call")).modern("tools/call", null).build());

        assertThat(client.bodyText()).contains("\"resultType\":\"complete\"").doesNotContain("ttlMs");
        assertThat(relay.upstream().requestCount()).isEqualTo(6);
        assertThat(relay.upstream().isScriptUsedUp()).isTrue();
    }

    @Test
    void progressIsRelayedAndAQuestionForAnUndeclaredCapabilityIsAnsweredUpstreamWithAnError() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":7,\"progress\":1}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"sampling/createMessage\",\"params\":{}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}")))
                .thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream client = relay.post(aPost(request("1", "tools/call")).modern("tools/call", null).build());

        List<String> events = client.eventData();
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).contains("notifications/progress");
        assertThat(events.get(1)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}"); // not its answer: as it came
        assertThat(events.get(2)).contains("\"resultType\":\"complete\"");
        ScriptedUpstream.Sent answer = relay.upstream().requests().get(3);
        assertThat(body(answer)).contains("\"id\":0").contains("\"code\":-32601").contains("sampling/createMessage");
    }

    @Test
    void aClientThatClosesItsStreamCancelsTheRequestUpstream() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":7,\"progress\":1}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}")))
                .thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.accepted());

        relay.post(aPost(request("1", "tools/call")).modern("tools/call", null).build(), RecordingDownstream.goneAfter(0));

        assertThat(body(relay.upstream().requests().get(3))).contains("notifications/cancelled").contains("\"requestId\":1");
        assertThat(relay.upstream().requests().get(4).kind()).isEqualTo(ScriptedUpstream.Kind.END);
    }

    @Test
    void anUpstreamThatRefusesInitializeIsRelayedAndAMissingEnvelopeIsInvalidParams() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.TIMEOUT));

        RecordingDownstream refused = relay.post(aPost(request("1", "tools/list")).modern("tools/list", null).build());

        assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);

        RecordingDownstream invalid = relay.post(aPost("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"_meta\":"
                + "{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN + "\"}}}").modern("tools/list", null).build());

        assertThat(invalid.rejection().reason()).isEqualTo(RejectionReason.MODERN_INVALID_PARAMS);
        assertThat(relay.upstream().requestCount()).isEqualTo(1);
    }

    @Test
    void thePoolIsBoundedPerKeyAndASessionCarriesOneRequestAtATime() {
        RelayHarness relay = bridged();
        relay.upstream().otherwiseAnswer(LegacyBridgeTest::initialized);
        BridgePool pool = new BridgePool(relay.upstream(), relay.codec(), 1, 1);
        io.mcprelay.domain.bridge.ModernEnvelope envelope = new io.mcprelay.domain.bridge.ModernEnvelope(MODERN,
                io.mcprelay.domain.bridge.JsonValue.Obj.EMPTY, java.util.Optional.empty(), java.util.Optional.empty());
        io.mcprelay.domain.bridge.ModernToLegacy.PoolKey key = io.mcprelay.domain.bridge.ModernToLegacy.PoolKey.of("primary", "", envelope);

        BridgePool.Lease first = pool.lease(key, RelayHarness.PRIMARY, envelope, io.mcprelay.application.port.out.upstream.ClientContext.NONE);
        BridgePool.Lease second = pool.lease(key, RelayHarness.PRIMARY, envelope, io.mcprelay.application.port.out.upstream.ClientContext.NONE);

        assertThat(first).isInstanceOf(BridgePool.Lease.Taken.class);
        assertThat(second).isInstanceOf(BridgePool.Lease.Full.class);
        pool.giveBack(((BridgePool.Lease.Taken) first).session());
        assertThat(pool.lease(key, RelayHarness.PRIMARY, envelope, io.mcprelay.application.port.out.upstream.ClientContext.NONE))
                .isEqualTo(first);
        pool.discard(((BridgePool.Lease.Taken) first).session(), false);
        assertThat(pool.held(key)).isZero();
    }

    @Test
    void theClientsModernRoutingHeadersDoNotTravelInTheBridgesSession() {
        io.mcprelay.application.port.out.upstream.ClientContext client = new io.mcprelay.application.port.out.upstream.ClientContext(
                java.util.Map.of("MCP-Protocol-Version", MODERN, "Mcp-Method", "tools/call", "mcp-name", "x", "Mcp-Param-Region", "eu",
                        "traceparent", "00-1-2-01"));
        io.mcprelay.application.port.out.upstream.ClientContext plain = new io.mcprelay.application.port.out.upstream.ClientContext(
                java.util.Map.of("traceparent", "00-1-2-01"));

        assertThat(LegacyBridge.withoutRoutingHeaders(client).values()).containsOnlyKeys("traceparent");
        assertThat(LegacyBridge.withoutRoutingHeaders(plain)).isSameAs(plain);
    }

    @Test
    void withoutTheBridgeALegacyOnlyUpstreamStillAnswersMinus32022() {
        RelayHarness relay = RelayHarness.builder().era(UpstreamEra.LEGACY).build();

        RecordingDownstream client = relay.post(aPost(request("3", "tools/list")).modern("tools/list", null).build());

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.MODERN_VERSION_UNSUPPORTED);
        assertThat(relay.upstream().requestCount()).isZero();
    }
}
