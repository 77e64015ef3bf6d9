package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.bridge.ModernToLegacy;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bridge (b): what goes wrong, and the answers that are not plain JSON results. */
class LegacyBridgeEdgesTest {

    private static final String MODERN = ProtocolEra.FIRST_MODERN;
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
    private static final String INIT_RESULT = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}";

    static String request(String id, String method) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{" + META + "}}";
    }

    private static RelayHarness bridged() {
        return RelayHarness.builder().era(UpstreamEra.LEGACY).settings(RelaySettings.defaults().withBridgeLegacy(true)).build();
    }

    private static String initId(ScriptedUpstream.Sent sent) {
        return new String(sent.body(), StandardCharsets.UTF_8).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private static UpstreamReply initialized(ScriptedUpstream.Sent sent) {
        return UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + initId(sent) + "\",\"result\":" + INIT_RESULT + "}", "up-1");
    }

    private static RecordingDownstream post(RelayHarness relay, String id, String method) {
        return relay.post(aPost(request(id, method)).modern(method, null).build());
    }

    @Test
    void anInitializeAnsweredOnAnEventStreamOpensTheSession() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(sent -> UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.priming("e0"),
                        ScriptedEventSource.event("not json"),
                        ScriptedEventSource.event("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}"),
                        ScriptedEventSource.event("{\"jsonrpc\":\"2.0\",\"id\":\"" + initId(sent) + "\",\"result\":" + INIT_RESULT + "}")), "up-9"))
                .thenAnswer(UpstreamReplies.json("{}"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));

        RecordingDownstream client = post(relay, "1", "ping");

        assertThat(client.bodyText()).contains("\"resultType\":\"complete\"");
        assertThat(relay.upstream().requests().get(2).sessionId().orElseThrow().value()).isEqualTo("up-9");
    }

    @Test
    void anInitializeStreamThatEndsWithoutTheResultOrAnErrorAnswerIsABadGateway() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.end())))
                .thenAnswer(sent -> UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + initId(sent) + "\",\"result\":{\"protocolVersion\":\"1999-01-01\"}}"))
                .thenAnswer(sent -> UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":\"" + initId(sent)
                        + "\",\"error\":{\"code\":-32600,\"message\":\"no\"}}"))
                .thenAnswer(UpstreamReplies.json("not json at all"));

        assertThat(post(relay, "1", "ping").rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(post(relay, "2", "ping").rejection().detail()).contains("unusable");
        assertThat(post(relay, "3", "ping").rejection().detail()).contains("refused initialize");
        assertThat(post(relay, "4", "ping").rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
    }

    @Test
    void aModernNotificationIsAcceptedAndGoesNowhere() {
        RelayHarness relay = bridged();

        RecordingDownstream client = relay.post(aPost("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":1,"
                + META + "}}").modern("notifications/cancelled", null).build());

        assertThat(client.answer()).isEqualTo(RecordingDownstream.Answer.ACCEPTED);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void theDiscoverCacheExpiresAndASessionLostTwiceIsABadGateway() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeEdgesTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.sessionGone())
                .thenAnswer(LegacyBridgeEdgesTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.sessionGone())
                .thenAnswer(LegacyBridgeEdgesTest::initialized).thenAnswer(UpstreamReplies.accepted());

        post(relay, "1", "server/discover");
        RecordingDownstream lost = post(relay, "2", "tools/list");
        relay.clock().advance(LegacyBridge.DISCOVER_TTL.plus(Duration.ofSeconds(1)));
        RecordingDownstream again = post(relay, "3", "server/discover");

        assertThat(lost.rejection().detail()).contains("lost the bridged session twice");
        assertThat(again.bodyText()).contains("\"supportedVersions\"");
        assertThat(relay.upstream().isScriptUsedUp()).isTrue();
    }

    @Test
    void refusalsAreRelayedAndAnAnswerThatIsNotAnObjectPassesAsItCame() {
        RelayHarness relay = bridged();
        String denied = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32001,\"message\":\"denied\"}}";
        relay.upstream().thenAnswer(LegacyBridgeEdgesTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.refusedWith(403, denied))
                .thenAnswer(UpstreamReplies.json("[1]"))
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":3}"))
                .thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.DROPPED))
                .thenAnswer(LegacyBridgeEdgesTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.json("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}}"));

        assertThat(post(relay, "1", "tools/call").bodyText()).isEqualTo(denied);
        assertThat(post(relay, "2", "tools/call").bodyText()).isEqualTo("[1]");
        // an answer that is no JSON-RPC response goes through the same check as a direct upstream's answer
        assertThat(post(relay, "3", "tools/call").rejection().detail()).contains("not JSON-RPC");
        assertThat(post(relay, "4", "tools/call").rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_FAILED);
        assertThat(post(relay, "5", "tools/call").bodyText()).contains("\"id\":5"); // a new session after the dropped one
        assertThat(relay.upstream().isScriptUsedUp()).isTrue();
    }

    @Test
    void aStreamThatEndsOrBreaksBeforeTheAnswerGetsAnErrorEventAndItsSessionIsEnded() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(LegacyBridgeEdgesTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.priming("p"),
                        ScriptedEventSource.event("garbage"), ScriptedEventSource.end())))
                .thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(LegacyBridgeEdgesTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.broken("reset"))))
                .thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream ended = post(relay, "1", "tools/call");
        RecordingDownstream broken = post(relay, "2", "tools/call");

        assertThat(ended.eventData()).singleElement().asString().contains("ended the stream before answering");
        assertThat(broken.eventData()).singleElement().asString().contains("broke before answering: reset");
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).hasSize(2);
    }

    @Test
    void aFullPoolIsRefusedWithoutOpeningASession() {
        RelayHarness relay = bridged();
        relay.upstream().otherwiseAnswer(LegacyBridgeEdgesTest::initialized);
        BridgePool pool = new BridgePool(relay.upstream(), relay.codec(), 2, 1);
        ModernEnvelope envelope = new ModernEnvelope(MODERN, JsonValue.Obj.EMPTY, Optional.empty(), Optional.empty());
        ModernToLegacy.PoolKey one = ModernToLegacy.PoolKey.of("primary", "a", envelope);
        ModernToLegacy.PoolKey other = ModernToLegacy.PoolKey.of("primary", "b", envelope);

        assertThat(pool.lease(one, RelayHarness.PRIMARY, envelope, ClientContext.NONE)).isInstanceOf(BridgePool.Lease.Taken.class);
        assertThat(pool.lease(other, RelayHarness.PRIMARY, envelope, ClientContext.NONE)).isInstanceOfSatisfying(BridgePool.Lease.Full.class,
                full -> assertThat(full.why()).contains("sessions on upstream primary"));
        assertThat(BridgePool.parse("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new BridgePool(relay.upstream(), relay.codec(), 0, 1));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new BridgePool(relay.upstream(), relay.codec(), 1, 0));
    }

    @Test
    void aRequestWhoseKeyHoldsEveryAllowedSessionGetsAServiceUnavailable() {
        RelayHarness relay = bridged();
        relay.upstream().otherwiseAnswer(LegacyBridgeEdgesTest::initialized);
        BridgePool pool = new BridgePool(relay.upstream(), relay.codec(), 1, 4);
        LegacyBridge bridge = new LegacyBridge(relay.upstream(), relay.catalog(), relay.streams(), pool, new UpstreamAnswers(relay.streams()),
                new io.mcprelay.domain.bridge.RequestStateSealer(new byte[32], "test-instance"), (task, wait) -> { });
        ModernEnvelope envelope = new ModernEnvelope(MODERN, JsonValue.Obj.EMPTY, Optional.empty(), Optional.empty());
        pool.lease(ModernToLegacy.PoolKey.of("primary", "", envelope), RelayHarness.PRIMARY, envelope, ClientContext.NONE);
        int before = relay.upstream().requestCount();
        byte[] body = request("1", "tools/list").getBytes(StandardCharsets.UTF_8);
        var payload = ((io.mcprelay.application.port.out.DecodedPayload.Decoded) relay.codec().decode(body)).payload();
        RecordingDownstream client = new RecordingDownstream();

        bridge.relay(payload, body, aPost(request("1", "tools/list")).modern("tools/list", null).build(), ClientContext.NONE, client);

        assertThat(client.rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_SATURATED);
        assertThat(client.rejection().detail()).contains("all busy");
        assertThat(relay.upstream().requestCount()).isEqualTo(before);
    }

    @Test
    void aDiscoverWhoseUpstreamRefusesASessionGetsTheRefusal() {
        RelayHarness relay = bridged();
        relay.upstream().thenAnswer(UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.TIMEOUT));

        assertThat(post(relay, "1", "server/discover").rejection().reason()).isEqualTo(RejectionReason.UPSTREAM_TIMEOUT);
    }

    @Test
    void laterModernVersionsAreNotBridged() {
        RelayHarness relay = bridged();

        RecordingDownstream later = relay.post(aPost(request("2", "tools/list").replace(MODERN, "2027-01-01")).modern("tools/list", null)
                .withProtocolVersion("2027-01-01").build());

        assertThat(later.rejection().reason()).isEqualTo(RejectionReason.MODERN_VERSION_UNSUPPORTED);
        assertThat(relay.upstream().requestCount()).isZero();
    }
}
