package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.auth.Principal;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.RequestStateSealer;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.era.UpstreamEra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bridge (b): a 2025-era upstream's questions in the middle of a call, carried to a modern client as input_required rounds. */
class LegacyBridgeMrtrTest {

    private static final String MODERN = ProtocolEra.FIRST_MODERN;
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String INIT_RESULT = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{},\"logging\":{}},"
            + "\"serverInfo\":{\"name\":\"everything\",\"version\":\"1.0\"}}";
    private static final String ELICIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"elicitation/create\",\"params\":{\"message\":\"name?\","
            + "\"requestedSchema\":{\"type\":\"object\"}}}";
    private static final String DONE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Ada\"}]}}";
    private static final String ANSWER = "{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}";

    private final RelayHarness relay = RelayHarness.builder().era(UpstreamEra.LEGACY)
            .settings(RelaySettings.defaults().withBridgeLegacy(true)).build();
    private final BridgePool pool = new BridgePool(relay.upstream(), relay.codec(), 8, 64);
    private final List<Duration> scheduled = new ArrayList<>();
    private final LegacyBridge bridge = new LegacyBridge(relay.upstream(), relay.catalog(), relay.streams(), pool,
            new UpstreamAnswers(relay.streams()), new RequestStateSealer(KEY, "test-instance"), (task, wait) -> scheduled.add(wait));

    static String meta(String capabilities, String logLevel) {
        return "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN + "\",\"io.modelcontextprotocol/clientCapabilities\":"
                + capabilities + (logLevel == null ? "" : ",\"io.modelcontextprotocol/logLevel\":\"" + logLevel + "\"") + "}";
    }

    static String call(String id, String method, String extra, String capabilities) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{\"name\":\"ask\",\"arguments\":{\"a\":1},"
                + extra + meta(capabilities, null) + "}}";
    }

    static String retry(String id, String token, String responses) {
        return call(id, "tools/call", "\"inputResponses\":" + responses + ",\"requestState\":\"" + token + "\",", "{\"elicitation\":{}}");
    }

    private static UpstreamReply initialized(ScriptedUpstream.Sent sent) {
        return UpstreamReplies.initialized(sent, INIT_RESULT);
    }

    private static String body(ScriptedUpstream.Sent sent) {
        return sent.text();
    }

    private RecordingDownstream post(String body) {
        return post(body, Optional.empty(), new RecordingDownstream());
    }

    private RecordingDownstream post(String body, Optional<Principal> principal, RecordingDownstream client) {
        String method = JsonText.parseObject(body).str("method").orElseThrow();
        RelayMessageCommand built = aPost(body).modern(method, "ask").build();
        RelayMessageCommand command = new RelayMessageCommand(built.sessionId(), built.protocolVersion(), built.headers(), built.body(),
                built.client(), principal, built.routing());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        bridge.relay(((DecodedPayload.Decoded) relay.codec().decode(bytes)).payload(), bytes, command, ClientContext.NONE, client);
        return client;
    }

    private static JsonValue.Obj last(RecordingDownstream client) {
        List<String> events = client.eventData();
        return JsonText.parseObject(events.isEmpty() ? client.bodyText() : events.getLast());
    }

    private static String token(RecordingDownstream client) {
        return last(client).obj("result").orElseThrow().str("requestState").orElseThrow();
    }

    /** initialize, initialized, then the call answered on a stream with {@code events}, then the posted answer taken. */
    private void upstreamAsking(String... events) {
        relay.upstream().thenAnswer(LegacyBridgeMrtrTest::initialized).thenAnswer(UpstreamReplies.accepted())
                .thenAnswer(UpstreamReplies.eventStream(ScriptedEventSource.ofData(events)));
    }

    @Test
    void anElicitationMidCallBecomesInputRequiredAndTheRetrysAnswerReachesTheUpstream() {
        upstreamAsking("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":7,\"progress\":1}}",
                ELICIT, DONE);
        relay.upstream().thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream first = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));

        assertThat(first.eventData()).hasSize(2);
        JsonValue.Obj asked = last(first);
        assertThat(asked.get("id")).contains(JsonValue.Num.of(1));
        JsonValue.Obj result = asked.obj("result").orElseThrow();
        assertThat(result.str("resultType")).contains("input_required");
        assertThat(result.obj("inputRequests").orElseThrow().obj("q1").orElseThrow().toJson())
                .isEqualTo("{\"method\":\"elicitation/create\",\"params\":{\"message\":\"name?\",\"requestedSchema\":{\"type\":\"object\"}}}");
        assertThat(first.isClosed()).isTrue();
        assertThat(bridge.parked()).isEqualTo(1);
        assertThat(scheduled).containsExactly(LegacyBridge.PARK_TIMEOUT.plus(BridgeParking.SWEEP_MARGIN));

        RecordingDownstream second = post(retry("2", token(first), "{\"q1\":" + ANSWER + "}"));

        ScriptedUpstream.Sent answer = relay.upstream().requests().get(3);
        assertThat(body(answer)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":" + ANSWER + "}");
        assertThat(answer.sessionId().orElseThrow().value()).isEqualTo("up-1");
        JsonValue.Obj done = last(second);
        assertThat(done.get("id")).contains(JsonValue.Num.of(2)); // the retry's id, not the upstream's
        assertThat(done.toJson()).contains("\"resultType\":\"complete\"").contains("Ada");
        assertThat(bridge.parked()).isZero();
        assertThat(pool.held(ModernToLegacyKeys.elicitation())).isEqualTo(1); // given back, not ended
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).isEmpty();

        RecordingDownstream again = post(retry("3", token(first), "{\"q1\":" + ANSWER + "}"));

        assertThat(again.bodyText()).contains("\"code\":-32602").contains("used already");
        assertThat(relay.metrics().bridge).containsExactly("parked", "unparked:retried");
    }

    @Test
    void aRetryWithoutTheAnswerIsAskedAgainAndAnotherQuestionIsAnotherRound() {
        upstreamAsking(ELICIT, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"elicitation/create\",\"params\":{\"message\":\"more?\"}}", DONE);
        relay.upstream().thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream first = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));
        RecordingDownstream empty = post(retry("2", token(first), "{}"));

        assertThat(empty.answer()).isEqualTo(RecordingDownstream.Answer.JSON);
        assertThat(last(empty).obj("result").orElseThrow().toJson()).contains("input_required").contains("name?");
        assertThat(relay.upstream().requestCount()).isEqualTo(3); // nothing posted upstream
        RecordingDownstream second = post(retry("3", token(empty), "{\"q1\":" + ANSWER + "}"));

        assertThat(last(second).obj("result").orElseThrow().toJson()).contains("input_required").contains("more?");
        RecordingDownstream third = post(retry("4", token(second), "{\"q1\":{\"action\":\"decline\"}}"));

        assertThat(body(relay.upstream().requests().get(4))).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"action\":\"decline\"}}");
        assertThat(last(third).get("id")).contains(JsonValue.Num.of(4));
        assertThat(last(third).toJson()).contains("Ada");
    }

    @Test
    void aRetryThatNoLongerDeclaresTheCapabilityHasTheUnansweredQuestionRefusedUpstream() {
        upstreamAsking(ELICIT, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\"}}", DONE);
        relay.upstream().thenAnswer(UpstreamReplies.accepted());
        RecordingDownstream first = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));

        RecordingDownstream retried = post(call("2", "tools/call", "\"inputResponses\":{},\"requestState\":\"" + token(first) + "\",", "{}"));

        assertThat(body(relay.upstream().requests().get(3))).contains("\"id\":0").contains("-32601")
                .contains("did not declare the elicitation capability");
        assertThat(retried.eventData()).hasSize(1); // the log message is dropped: the retry set no log level
        assertThat(last(retried).get("id")).contains(JsonValue.Num.of(2));
        assertThat(bridge.parked()).isZero();
    }

    @Test
    void questionsTheClientCannotBeAskedAreRefusedUpstreamAndTheCallGoesOn() {
        upstreamAsking("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"sampling/createMessage\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", DONE);
        relay.upstream().thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream client = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));

        assertThat(client.eventData()).hasSize(1);
        assertThat(last(client).toJson()).contains("\"resultType\":\"complete\"");
        assertThat(body(relay.upstream().requests().get(3))).contains("\"id\":0").contains("\"code\":-32601")
                .contains("did not declare the sampling capability");
        assertThat(body(relay.upstream().requests().get(4))).contains("\"id\":1").contains("ping has no 2026-07-28 counterpart");
        assertThat(bridge.parked()).isZero();
    }

    @Test
    void aQuestionOutsideTheThreeMethodsIsRefusedUpstream() {
        upstreamAsking(ELICIT, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}");
        relay.upstream().thenAnswer(UpstreamReplies.accepted());

        RecordingDownstream client = post(call("1", "tools/list", "", "{\"elicitation\":{}}"));

        assertThat(last(client).toJson()).contains("\"tools\":[]");
        assertThat(body(relay.upstream().requests().get(3))).contains("tools/list cannot ask a 2026-07-28 client anything");
    }

    @Test
    void aTamperedForeignExpiredOrMisdirectedTokenIsInvalidParams() {
        upstreamAsking(ELICIT, DONE);
        relay.upstream().thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted());
        RecordingDownstream first = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));
        String token = token(first);
        String foreign = new RequestStateSealer(KEY, "instance-b").seal("", relay.clock().now().plusSeconds(60), "tools/call",
                JsonText.parseObject("{\"name\":\"ask\",\"arguments\":{\"a\":1}}"), "p1");
        String otherKey = new RequestStateSealer(new byte[32], "instance-c").seal("", relay.clock().now().plusSeconds(60), "tools/call",
                JsonText.parseObject("{\"name\":\"ask\",\"arguments\":{\"a\":1}}"), "p1");

        assertThat(post(retry("2", token + ".x", "{}")).bodyText()).contains("-32602").contains("not a requestState");
        assertThat(post(retry("3", foreign, "{}")).bodyText()).contains("-32602").contains("parked on mcp-relay instance instance-b");
        assertThat(post(retry("4", otherKey, "{}")).bodyText()).contains("instance instance-c, not on this one (test-instance)");
        assertThat(post(retry("5", token, "{}").replace("\"a\":1", "\"a\":2")).bodyText()).contains("for another call");
        assertThat(post(retry("6", token, "{}"), Optional.of(new Principal("mallory", Set.of(), Map.of())), new RecordingDownstream())
                .bodyText()).contains("another principal");
        assertThat(bridge.parked()).isEqualTo(1);

        relay.clock().advance(LegacyBridge.PARK_TIMEOUT);
        RecordingDownstream late = post(retry("7", token, "{\"q1\":" + ANSWER + "}"));

        assertThat(late.bodyText()).contains("-32602").contains("expired");
        assertThat(bridge.parked()).isZero();
        assertThat(body(relay.upstream().requests().get(3))).contains("notifications/cancelled").contains("\"requestId\":1")
                .contains("did not answer within");
        assertThat(relay.upstream().requests().get(4).kind()).isEqualTo(ScriptedUpstream.Kind.END);
        assertThat(relay.metrics().bridge).containsExactly("parked", "unparked:expired");
    }

    @Test
    void aClientGoneBeforeItLearntOfTheQuestionCancelsTheCall() {
        upstreamAsking(ELICIT, DONE);
        relay.upstream().thenAnswer(UpstreamReplies.accepted()).thenAnswer(UpstreamReplies.accepted());

        post(call("1", "tools/call", "", "{\"elicitation\":{}}"), Optional.empty(), RecordingDownstream.goneAfter(0));

        assertThat(bridge.parked()).isZero();
        assertThat(relay.metrics().bridge).containsExactly("parked", "unparked:abandoned");
        assertThat(body(relay.upstream().requests().get(3))).contains("notifications/cancelled").contains("\"requestId\":1");
        assertThat(relay.upstream().requests().get(4).kind()).isEqualTo(ScriptedUpstream.Kind.END);
    }

    @Test
    void anUpstreamThatLostTheSessionWhileParkedFailsTheRetry() {
        upstreamAsking(ELICIT, DONE);
        relay.upstream().thenAnswer(UpstreamReplies.sessionGone()).thenAnswer(UpstreamReplies.accepted());
        RecordingDownstream first = post(call("1", "tools/call", "", "{\"elicitation\":{}}"));

        RecordingDownstream retried = post(retry("2", token(first), "{\"q1\":" + ANSWER + "}"));

        assertThat(retried.bodyText()).contains("\"id\":2").contains("\"code\":-32603").contains("did not take the answer");
        assertThat(relay.upstream().requests().get(4).kind()).isEqualTo(ScriptedUpstream.Kind.END);
        assertThat(pool.held(ModernToLegacyKeys.elicitation())).isZero();
    }

    @Test
    void theParkingIsBoundedAndAFullParkingRefusesTheQuestionUpstream() {
        BridgeParking parking = new BridgeParking(new RequestStateSealer(KEY, "i"), relay.clock(), Duration.ofSeconds(5), 2, 1,
                p -> { }, (task, wait) -> { }, RelayMetricsPort.NONE);
        BridgeParking.Call call = new BridgeParking.Call(new BridgePool.Pooled(ModernToLegacyKeys.elicitation(), RelayHarness.PRIMARY,
                Optional.empty(), io.mcprelay.domain.session.ProtocolVersion.V2025_11_25, JsonValue.Obj.EMPTY,
                new java.util.concurrent.atomic.AtomicReference<>()), UpstreamReplies.eventStream(ScriptedEventSource.ofData()), JsonValue.Num.of(1), Map.of(), Map.of());

        assertThat(parking.park("alice", "tools/call", JsonValue.Obj.EMPTY, call)).isInstanceOf(BridgeParking.Parking.Held.class);
        assertThat(parking.park("alice", "tools/call", JsonValue.Obj.EMPTY, call)).isInstanceOfSatisfying(BridgeParking.Parking.Full.class,
                full -> assertThat(full.why()).contains("this principal already has 1"));
        assertThat(parking.park("bob", "tools/call", JsonValue.Obj.EMPTY, call)).isInstanceOf(BridgeParking.Parking.Held.class);
        assertThat(parking.park("carol", "tools/call", JsonValue.Obj.EMPTY, call)).isInstanceOfSatisfying(BridgeParking.Parking.Full.class,
                full -> assertThat(full.why()).contains("already holds 2 calls"));
        assertThat(parking.size()).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new BridgeParking(
                new RequestStateSealer(KEY, "i"), relay.clock(), Duration.ZERO, 1, 1, p -> { }, (t, w) -> { }, RelayMetricsPort.NONE));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new BridgeParking(
                new RequestStateSealer(KEY, "i"), relay.clock(), Duration.ofSeconds(1), 0, 1, p -> { }, (t, w) -> { }, RelayMetricsPort.NONE));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new BridgeParking(
                new RequestStateSealer(KEY, "i"), relay.clock(), Duration.ofSeconds(1), 1, 0, p -> { }, (t, w) -> { }, RelayMetricsPort.NONE));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new BridgeParking(
                new RequestStateSealer(KEY, "i"), relay.clock(), Duration.ofSeconds(-1), 1, 1, p -> { }, (t, w) -> { }, RelayMetricsPort.NONE));
    }

    @Test
    void idleSessionsAreEndedUpstreamAfterTheIdleTimeAndTheSweepComesBackForTheYoungerOnes() {
        relay.upstream().otherwiseAnswer(LegacyBridgeMrtrTest::initialized);
        List<Runnable> tasks = new ArrayList<>();
        List<Duration> waits = new ArrayList<>();
        BridgePool aging = new BridgePool(relay.upstream(), relay.codec(), 8, 64, relay.clock(), Duration.ofMinutes(5),
                (task, wait) -> {
                    tasks.add(task);
                    waits.add(wait);
                }, relay.metrics());
        io.mcprelay.domain.bridge.ModernEnvelope envelope = new io.mcprelay.domain.bridge.ModernEnvelope(MODERN,
                JsonText.parseObject("{\"elicitation\":{}}"), Optional.empty(), Optional.empty());
        BridgePool.Pooled one = ((BridgePool.Lease.Taken) aging.lease(ModernToLegacyKeys.elicitation(), RelayHarness.PRIMARY, envelope,
                ClientContext.NONE)).session();
        BridgePool.Pooled two = ((BridgePool.Lease.Taken) aging.lease(ModernToLegacyKeys.elicitation(), RelayHarness.PRIMARY, envelope,
                ClientContext.NONE)).session();

        aging.giveBack(one);
        relay.clock().advance(Duration.ofMinutes(2));
        aging.giveBack(two); // the sweep is already pending: not scheduled twice
        relay.clock().advance(Duration.ofMinutes(3));
        tasks.getFirst().run();

        assertThat(waits).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(2));
        assertThat(aging.idle()).isEqualTo(1);
        assertThat(aging.held(ModernToLegacyKeys.elicitation())).isEqualTo(1);
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.END)).hasSize(1);
        relay.clock().advance(Duration.ofMinutes(2));
        tasks.get(1).run();

        assertThat(aging.idle()).isZero();
        assertThat(aging.held(ModernToLegacyKeys.elicitation())).isZero();
        assertThat(tasks).hasSize(2);
        assertThat(relay.metrics().bridge).containsExactly("opened", "opened", "closed:idle", "closed:idle");
    }

    /** The pool key of this test's requests (no principal, elicitation declared). */
    private static final class ModernToLegacyKeys {
        static io.mcprelay.domain.bridge.ModernToLegacy.PoolKey elicitation() {
            return new io.mcprelay.domain.bridge.ModernToLegacy.PoolKey("primary", "", "{\"elicitation\":{}}");
        }
    }
}
